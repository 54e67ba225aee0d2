package io.github.pgqueue;

import java.time.Duration;

/**
 * How long finished jobs are kept before the pruner deletes them.
 *
 * @param completed retention of completed jobs
 * @param cancelled retention of cancelled jobs
 * @param dead retention of dead jobs
 */
public record RetentionSettings(Duration completed, Duration cancelled, Duration dead) {

	public RetentionSettings {
		Settings.notNegative("retention.completed", completed);
		Settings.notNegative("retention.cancelled", cancelled);
		Settings.notNegative("retention.dead", dead);
	}

	public static RetentionSettings defaults() {
		return new RetentionSettings(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7));
	}

}
