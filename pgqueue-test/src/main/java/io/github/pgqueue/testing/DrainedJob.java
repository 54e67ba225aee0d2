package io.github.pgqueue.testing;

import java.util.Optional;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobState;

/**
 * One job a drain ran, and what the engine wrote of it.
 *
 * @param id the job
 * @param kind its kind
 * @param queue its queue
 * @param attempt the attempt that ran, from 1
 * @param maxAttempts the job's attempts
 * @param state its state now: {@code COMPLETED}; {@code AVAILABLE} when it failed and will be retried;
 * {@code DEAD}; {@code CANCELLED} when its cancel was requested
 * @param error what its handler threw, if it failed
 */
public record DrainedJob(JobId id, String kind, String queue, int attempt, int maxAttempts, JobState state,
		Optional<Throwable> error) {

	/** @return whether its handler failed */
	public boolean failed() {
		return this.error.isPresent();
	}

	@Override
	public String toString() {
		return "job " + this.id + " (kind '" + this.kind + "', queue '" + this.queue + "', attempt " + this.attempt + "/"
				+ this.maxAttempts + ") " + describe(this.state);
	}

	private static String describe(JobState state) {
		return switch (state) {
			case COMPLETED -> "completed";
			case AVAILABLE -> "failed and is available to retry";
			case DEAD -> "is dead";
			case CANCELLED -> "is cancelled";
			case RUNNING -> "ran past its lease: its outcome was refused";
		};
	}

}
