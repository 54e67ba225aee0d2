package io.github.pgqueue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the kind of a payload type once, so that {@link JobQueue#enqueue(Object)} and
 * {@link JobHandler} need not repeat it.
 *
 * <pre>{@code
 * @Job("send-email")
 * public record SendEmail(String to, String subject) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Job {

	/**
	 * The job kind: a non-blank name, at most 255 characters, stored in {@code pgqueue_job.kind}.
	 * @return the kind
	 */
	String value();

}
