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

	/**
	 * The job timeout of this kind, in Spring Boot's duration format ({@code "30s"}, {@code "10m"}, or
	 * ISO-8601): an attempt running longer has its thread interrupted and fails with an error saying it
	 * timed out after this limit, then retries with backoff or goes dead. Empty for the queue's
	 * ({@code pgqueue.queues.<name>.job-timeout}) or the default ({@code pgqueue.job-timeout}).
	 * @return the timeout, or empty
	 */
	String timeout() default "";

	/**
	 * Makes the kind periodic: a cron expression (Spring's six fields, seconds first, for example
	 * {@code "0 *&#47;5 * * * *"}) on whose every tick one job of this kind is enqueued, with an empty
	 * payload ({@code {}}), however many nodes run. Empty for none.
	 * @return the cron expression
	 */
	String cron() default "";

	/**
	 * The time zone the cron expression is read in.
	 * @return a zone id
	 */
	String zone() default "UTC";

	/**
	 * What to do about ticks missed while no node ran.
	 * @return the policy
	 */
	MissedTicks missed() default MissedTicks.ONCE;


}
