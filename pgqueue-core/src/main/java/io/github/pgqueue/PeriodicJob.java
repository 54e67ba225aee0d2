package io.github.pgqueue;

import java.util.Objects;

/**
 * A job enqueued on every tick of a schedule: exactly one job per tick, however many nodes run it.
 *
 * @param name a name unique among periodic jobs (its state is kept under it)
 * @param kind the kind of the jobs enqueued
 * @param payload the payload of each job (a value Jackson writes; {@code Map.of()} for none)
 * @param queue the queue of each job
 * @param schedule when it ticks
 * @param missed what to do about ticks missed while no node ran
 */
public record PeriodicJob(String name, String kind, Object payload, String queue, Schedule schedule,
		MissedTicks missed) {

	public PeriodicJob {
		if (name == null || name.isBlank() || name.length() > 255) {
			throw new IllegalArgumentException("periodic job name must be non-blank and at most 255 characters");
		}
		if (kind == null || kind.isBlank()) {
			throw new IllegalArgumentException("periodic job '" + name + "' needs a kind");
		}
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(schedule, "schedule");
		Objects.requireNonNull(missed, "missed");
	}

	/** A periodic job named after its kind, with an empty payload, on the default queue. */
	public static PeriodicJob of(String kind, Schedule schedule) {
		return new PeriodicJob(kind, kind, java.util.Map.of(), "default", schedule, MissedTicks.ONCE);
	}

}
