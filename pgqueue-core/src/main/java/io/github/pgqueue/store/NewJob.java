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
 */
public record NewJob(String queue, String kind, String payload, int priority, int maxAttempts,
		@Nullable Instant runAt, long delayMillis, @Nullable String idempotencyKey) {
}
