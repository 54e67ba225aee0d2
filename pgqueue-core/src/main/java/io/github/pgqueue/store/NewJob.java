package io.github.pgqueue.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A validated job about to be inserted.
 *
 * @param queue its queue
 * @param kind its kind
 * @param payload its payload as JSON text
 * @param priority its priority
 * @param maxAttempts its attempts
 * @param runAt the instant it may run, or {@code null} to use {@code delayMillis}
 * @param delayMillis the delay after the database's {@code now()} when {@code runAt} is null
 * @param idempotencyKey its idempotency key, if any
 * @param metadata its metadata as a JSON object's text (the trace context it was enqueued in), or
 * {@code null} for the column's default, an empty object
 */
public record NewJob(String queue, String kind, String payload, int priority, int maxAttempts,
		@Nullable Instant runAt, long delayMillis, @Nullable String idempotencyKey, @Nullable String metadata) {

	/** @return this job with the metadata given, or itself when that is {@code null} */
	public NewJob withMetadata(@Nullable String metadata) {
		return (metadata == null) ? this : new NewJob(this.queue, this.kind, this.payload, this.priority,
				this.maxAttempts, this.runAt, this.delayMillis, this.idempotencyKey, metadata);
	}

}
