package io.github.pgqueue.store;

/**
 * A running job whose lease expired, locked for its rescue.
 *
 * @param id the job id
 * @param attempt its attempts counted
 * @param maxAttempts its attempts
 * @param started whether the handler of the expired lease started (its attempt counted)
 * @param cancelRequested whether a cancel was requested
 */
public record ExpiredJob(long id, int attempt, int maxAttempts, boolean started, boolean cancelRequested) {
}
