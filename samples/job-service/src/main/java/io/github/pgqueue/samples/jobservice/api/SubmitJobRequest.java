package io.github.pgqueue.samples.jobservice.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /jobs}, as read; every field may be absent, and
 * {@link SubmissionValidator} decides what is required.
 *
 * @param type the job type, for example {@code send-email}
 * @param payload the job's payload: a JSON object with the fields of that type's record
 * @param maxAttempts attempts before the job goes to the dead letter; at least 1
 * @param idempotencyKey a key that makes a second submission return the first's job
 * @param delaySeconds how long to wait before the job may run; not negative
 * @param priority higher runs first
 * @param queue the queue to run on; one of {@code pgqueue.queues}
 */
public record SubmitJobRequest(@Nullable String type, @Nullable JsonNode payload, @Nullable Integer maxAttempts,
		@Nullable String idempotencyKey, @Nullable Long delaySeconds, @Nullable Integer priority,
		@Nullable String queue) {
}
