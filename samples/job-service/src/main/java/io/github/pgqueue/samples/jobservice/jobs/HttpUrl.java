package io.github.pgqueue.samples.jobservice.jobs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * The annotated {@link URI} is absolute, {@code http} or {@code https}, and names a host; a
 * {@code null} is left to {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = HttpUrl.Validator.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
public @interface HttpUrl {

	String message() default "must be an absolute http:// or https:// URL with a host";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/**
	 * Checks {@link HttpUrl}.
	 */
	class Validator implements ConstraintValidator<HttpUrl, URI> {

		private static final Set<String> SCHEMES = Set.of("http", "https");

		@Override
		public boolean isValid(@Nullable URI value, ConstraintValidatorContext context) {
			return value == null || (value.getScheme() != null
					&& SCHEMES.contains(value.getScheme().toLowerCase(Locale.ROOT)) && value.getHost() != null);
		}

	}

}
