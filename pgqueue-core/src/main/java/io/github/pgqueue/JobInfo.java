package io.github.pgqueue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one job row, as {@link JobQueue#find(JobId)} read it.
 *
 * @param id the job id
 * @param queue the queue it runs on
 * @param kind its kind
 * @param payload its payload as JSON text
 * @param state its state
 * @param priority its priority (higher runs first)
 * @param attempt attempts started so far (0 before the first run)
 * @param maxAttempts attempts allowed before it goes dead
 * @param runAt when it may run next, by the database clock
 * @param createdAt when it was enqueued
 * @param attemptedAt when its latest attempt started, if any
 * @param finalizedAt when it reached a final state, if it is in one
 * @param leaseOwner the worker holding its lease while running
 * @param leaseExpiresAt when that lease expires
 * @param idempotencyKey the key it was enqueued with, if any
 * @param cancelRequested whether a cancel was requested while it ran
 * @param errors one entry per failed attempt, oldest first
 * @param sideEffects the job's {@link JobContext#runOnce} steps, oldest first
 */
public record JobInfo(JobId id, String queue, String kind, String payload, JobState state, int priority,
		int attempt, int maxAttempts, Instant runAt, Instant createdAt, @Nullable Instant attemptedAt,
		@Nullable Instant finalizedAt, @Nullable String leaseOwner, @Nullable Instant leaseExpiresAt,
		@Nullable String idempotencyKey, boolean cancelRequested, List<JobError> errors,
		List<SideEffectInfo> sideEffects) {

	public JobInfo {
		errors = List.copyOf(errors);
		sideEffects = List.copyOf(sideEffects);
	}

	/**
	 * @param key a step key
	 * @return that step, if the job ever started it
	 */
	public Optional<SideEffectInfo> sideEffect(String key) {
		return this.sideEffects.stream().filter((effect) -> effect.key().equals(key)).findFirst();
	}

	/** @return the number of retries so far, {@code attempt - 1} once the job has run */
	public int retryCount() {
		return Math.max(0, this.attempt - 1);
	}

}
