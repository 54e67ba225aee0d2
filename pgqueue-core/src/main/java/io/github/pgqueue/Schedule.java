package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a periodic job ticks. The Spring Boot starter adapts cron expressions
 * ({@code @JobHandler(cron = "0 *&#47;5 * * * *")}); {@link #every(Duration)} needs no library.
 */
@FunctionalInterface
public interface Schedule {

	/**
	 * @param instant an instant, by the database clock
	 * @return the first tick strictly after it, if the schedule has one
	 */
	Optional<Instant> nextAfter(Instant instant);

	/**
	 * @param period the period, at least one second
	 * @return ticks every {@code period}, aligned to the epoch (so every node computes the same ticks)
	 */
	static Schedule every(Duration period) {
		if (period.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("period must be at least 1 second, was " + period);
		}
		long millis = period.toMillis();
		return (instant) -> Optional.of(Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), millis) * millis + millis));
	}

}
