package io.github.pgqueue.samples.jobservice.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.github.pgqueue.JobError;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.SideEffectInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code GET /jobs/{id}}: a snapshot of one job as the database holds it.
 *
 * @param id the job's id
 * @param type its type (the pgqueue kind)
 * @param queue the queue it runs on
 * @param state {@code available}, {@code running}, {@code completed}, {@code dead} or {@code cancelled}
 * @param attempt attempts started so far (0 before the first run)
 * @param maxAttempts attempts allowed before it goes dead
 * @param priority its priority
 * @param runAt when it may run next, by the database clock
 * @param createdAt when it was enqueued
 * @param attemptedAt when its latest attempt started
 * @param finalizedAt when it reached a final state
 * @param idempotencyKey the key it was submitted with
 * @param payload its payload
 * @param errors one entry per failed attempt, oldest first
 * @param sideEffects its {@code runOnce} steps
 */
public record JobView(long id, String type, String queue, String state, int attempt, int maxAttempts, int priority,
		Instant runAt, Instant createdAt, @Nullable Instant attemptedAt, @Nullable Instant finalizedAt,
		@Nullable String idempotencyKey, JsonNode payload, List<Error> errors, List<Step> sideEffects) {

	static JobView of(JobInfo job, JsonNode payload) {
		return new JobView(job.id().value(), job.kind(), job.queue(), job.state().dbValue(), job.attempt(),
				job.maxAttempts(), job.priority(), job.runAt(), job.createdAt(), job.attemptedAt(), job.finalizedAt(),
				job.idempotencyKey(), payload, job.errors().stream().map(Error::of).toList(),
				job.sideEffects().stream().map(Step::of).toList());
	}

	/**
	 * One failed attempt.
	 *
	 * @param attempt the attempt that failed
	 * @param at when, by the database clock
	 * @param message what went wrong
	 */
	public record Error(int attempt, Instant at, String message) {

		static Error of(JobError error) {
			return new Error(error.attempt(), error.at(), error.message());
		}

	}

	/**
	 * One {@code runOnce} step.
	 *
	 * @param key the step's key
	 * @param state {@code running}, {@code succeeded} or {@code in_doubt}
	 * @param attempt the attempt that started it
	 */
	public record Step(String key, String state, int attempt) {

		static Step of(SideEffectInfo step) {
			return new Step(step.key(), step.state().name().toLowerCase(Locale.ROOT), step.attempt());
		}

	}

}
