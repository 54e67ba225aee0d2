package io.github.pgqueue;

import java.time.Duration;

/**
 * The error an attempt fails with when its handler ran past its job timeout
 * ({@code pgqueue.job-timeout}, {@code pgqueue.queues.<name>.job-timeout} or
 * {@code @JobHandler(timeout)}): the handler's thread was interrupted, and the job retries with
 * backoff or goes dead like after any failure.
 */
public class JobTimeoutException extends PgQueueException {

	private final Duration timeout;

	public JobTimeoutException(Duration timeout, String detail) {
		super("timed out after " + format(timeout) + detail);
		this.timeout = timeout;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	/** @return the duration as Spring Boot writes one: {@code 30s}, {@code 10m}, {@code 1500ms} */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 3_600_000 == 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

}
