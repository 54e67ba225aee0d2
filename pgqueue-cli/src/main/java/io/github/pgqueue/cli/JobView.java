package io.github.pgqueue.cli;

import java.time.Instant;
import java.util.List;

import io.github.pgqueue.JobError;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.SideEffectInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One job as {@code --json} prints it: the fields of the actuator endpoint's job, with the payload
 * as JSON rather than text.
 */
record JobView(long id, String queue, String kind, String state, int priority, int attempt, int maxAttempts,
		Instant runAt, Instant createdAt, @Nullable Instant attemptedAt, @Nullable Instant finalizedAt,
		@Nullable String leaseOwner, @Nullable Instant leaseExpiresAt, @Nullable String idempotencyKey,
		boolean cancelRequested, JsonNode payload, List<JobError> errors, List<SideEffectInfo> sideEffects) {

	static JobView of(JobInfo job) {
		return new JobView(job.id().value(), job.queue(), job.kind(), job.state().dbValue(), job.priority(),
				job.attempt(), job.maxAttempts(), job.runAt(), job.createdAt(), job.attemptedAt(), job.finalizedAt(),
				job.leaseOwner(), job.leaseExpiresAt(), job.idempotencyKey(), job.cancelRequested(),
				Output.JSON.readTree(job.payload()), job.errors(), job.sideEffects());
	}

}
