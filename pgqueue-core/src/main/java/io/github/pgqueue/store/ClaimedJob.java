package io.github.pgqueue.store;

import java.time.Instant;

/**
 * A job a worker claimed, with the lease it holds on it.
 *
 * @param id the job id
 * @param queue its queue
 * @param kind its kind
 * @param payload its payload as JSON text
 * @param attempt the attempt this claim started: the fencing token
 * @param maxAttempts its attempts
 * @param runAt when it became runnable
 * @param claimedAt when it was claimed, by the database clock
 */
public record ClaimedJob(long id, String queue, String kind, String payload, int attempt, int maxAttempts,
		Instant runAt, Instant claimedAt) {

	public Lease lease() {
		return new Lease(this.id, this.attempt);
	}

}
