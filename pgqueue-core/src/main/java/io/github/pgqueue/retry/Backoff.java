package io.github.pgqueue.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import io.github.pgqueue.RetrySettings;

/**
 * Exponential backoff with jitter: the delay after attempt {@code n} is
 * {@code initial * multiplier^(n-1)}, capped at the maximum, spread by ±{@code jitter} so that jobs
 * failing together do not retry together. The delay is a duration only: the store adds it to the
 * database's {@code now()}.
 */
public final class Backoff {

	private final RetrySettings settings;

	private final DoubleSupplier random;

	public Backoff(RetrySettings settings) {
		this(settings, () -> ThreadLocalRandom.current().nextDouble());
	}

	Backoff(RetrySettings settings, DoubleSupplier random) {
		this.settings = settings;
		this.random = random;
	}

	/**
	 * @param attempt the attempt that failed, from 1
	 * @return how long to wait before the next attempt
	 */
	public Duration delayAfter(int attempt) {
		double initial = this.settings.initialBackoff().toMillis();
		double max = this.settings.maxBackoff().toMillis();
		double base = Math.min(max, initial * Math.pow(this.settings.multiplier(), Math.max(0, attempt - 1)));
		double spread = this.settings.jitter() * (2 * this.random.getAsDouble() - 1);
		double jittered = Math.max(0, Math.min(max, base * (1 + spread)));
		return Duration.ofMillis(Math.round(jittered));
	}

	/** @return the shortest delay {@link #delayAfter} may return for the attempt */
	public Duration minDelayAfter(int attempt) {
		return bound(attempt, -1);
	}

	/** @return the longest delay {@link #delayAfter} may return for the attempt */
	public Duration maxDelayAfter(int attempt) {
		return bound(attempt, 1);
	}

	private Duration bound(int attempt, int sign) {
		return new Backoff(this.settings, () -> (sign + 1) / 2.0).delayAfter(attempt);
	}

}
