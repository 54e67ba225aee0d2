package io.github.pgqueue.store;

/**
 * A worker's hold on one claim of one job. Together with the worker id it fences every write: a
 * write succeeds only while the row still shows this owner and this token and the lease has not
 * expired. Every claim of a row takes the next token, so a lease never recurs, whatever the worker
 * id, a release or a restart.
 *
 * @param jobId the job id
 * @param token the row's lease token taken by the claim
 */
public record Lease(long jobId, long token) {
}
