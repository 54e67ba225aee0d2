package io.github.pgqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a handler to retry its job after the given delay instead of the configured backoff.
 * The attempt still counts: with no attempts left the job goes dead.
 */
public class RetryJobException extends RuntimeException {

	private final Duration delay;

	public RetryJobException(Duration delay) {
		this("retry requested after " + delay, delay);
	}

	public RetryJobException(String message, Duration delay) {
		super(message);
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative, was " + delay);
		}
		this.delay = delay;
	}

	public Duration getDelay() {
		return this.delay;
	}

}
