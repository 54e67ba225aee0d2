package io.github.pgqueue.autoconfigure;

import io.github.pgqueue.autoconfigure.diagnostics.PgQueueStartupException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Fails the start at once, while configuration classes are read and before any bean is created,
 * when Spring Boot is older than 4.0 (on 3.x the starter's Liquibase would switch on Boot's own, and
 * then Jackson 3 classes go missing). Spring Boot 4 is recognized by a class only it has,
 * {@value #BOOT_4_CLASS}, and by its version where its jar states one.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class SpringBootVersionCheck implements Condition {

	static final String BOOT_4_CLASS = "org.springframework.boot.EnvironmentPostProcessor";

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		check(SpringBootVersion.getVersion(), ClassUtils.isPresent(BOOT_4_CLASS, context.getClassLoader()));
		return true;
	}

	/**
	 * @param version Spring Boot's version, if known
	 * @param boot4ClassPresent whether a class only Spring Boot 4 has is present
	 * @throws PgQueueStartupException when Spring Boot is older than 4.0
	 */
	static void check(@Nullable String version, boolean boot4ClassPresent) {
		if (boot4ClassPresent && (version == null || major(version) >= 4)) {
			return;
		}
		throw new PgQueueStartupException(
				"pgqueue needs Spring Boot 4.0 or later, but this application runs on Spring Boot "
						+ ((version != null) ? version : "older than 4.0")
						+ (boot4ClassPresent ? "" : " (" + BOOT_4_CLASS + ", which Spring Boot 4 has, is missing)") + ".",
				"Upgrade the application to Spring Boot 4.0 or later, or remove pgqueue-spring-boot-starter.");
	}

	private static int major(String version) {
		try {
			return Integer.parseInt(version.split("\\.", 2)[0]);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
