package io.github.pgqueue.store;

import java.time.Instant;

/**
 * A job a worker claimed, with the lease it holds on it. Claiming counts no attempt: the attempt is
 * counted when the handler starts ({@link LeaseStore#startIfLeased}).
 *
 * @param id the job id
 * @param queue its queue
 * @param kind its kind
 * @param payload its payload as JSON text
 * @param attempt the attempts counted before this claim
 * @param maxAttempts its attempts
 * @param runAt when it became runnable
 * @param claimedAt when it was claimed, by the database clock
 * @param token the lease token this claim took
 * @param createdAt when it was enqueued
 * @param metadata its metadata as a JSON object's text: the trace context it was enqueued in, if any
 */
public record ClaimedJob(long id, String queue, String kind, String payload, int attempt, int maxAttempts,
		Instant runAt, Instant claimedAt, long token, Instant createdAt, String metadata) {

	public Lease lease() {
		return new Lease(this.id, this.token);
	}

}
