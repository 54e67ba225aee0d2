package io.github.pgqueue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of one job kind. Its parameters are the payload (any type
 * Jackson reads) and, optionally, a {@link JobContext}. Returning normally completes the job; any
 * exception fails the attempt (see {@link PermanentJobFailureException} and {@link RetryJobException}).
 * <p>
 * Handler discovery fails the application start, naming the method, when two handlers claim one
 * kind, when no kind can be resolved, or when the parameter list cannot be served.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JobHandler {

	/**
	 * The kind handled; may be omitted when the payload type carries {@link Job}.
	 * @return the kind, or empty to take it from the payload type
	 */
	String value() default "";

}
