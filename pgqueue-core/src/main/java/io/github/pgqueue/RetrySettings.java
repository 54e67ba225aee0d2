package io.github.pgqueue;

import java.time.Duration;

/**
 * Retry defaults: attempts, and the exponential backoff between them.
 *
 * @param maxAttempts attempts before a job goes dead, unless enqueued with its own; at least 1
 * @param initialBackoff the delay after the first failure
 * @param multiplier the factor by which each further delay grows; at least 1
 * @param maxBackoff the longest delay
 * @param jitter the random spread around each delay, from 0 (none) to 1 (up to ±100%)
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
		double jitter) {

	public RetrySettings {
		Settings.atLeast("retry.max-attempts", maxAttempts, 1);
		Settings.positive("retry.initial-backoff", initialBackoff);
		Settings.positive("retry.max-backoff", maxBackoff);
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("retry.multiplier must be at least 1.0, was " + multiplier);
		}
		if (!(jitter >= 0.0 && jitter <= 1.0)) {
			throw new IllegalArgumentException("retry.jitter must be between 0.0 and 1.0, was " + jitter);
		}
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException("retry.max-backoff (" + maxBackoff
					+ ") must not be shorter than retry.initial-backoff (" + initialBackoff + ")");
		}
	}

	public static RetrySettings defaults() {
		return new RetrySettings(25, Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 0.2);
	}

}
