package io.github.pgqueue.store;

/**
 * A worker's hold on one attempt of one job. Together with the worker id it fences every write:
 * a write succeeds only while the row still shows this owner and this attempt and the lease has
 * not expired.
 *
 * @param jobId the job id
 * @param attempt the attempt the lease was taken for
 */
public record Lease(long jobId, int attempt) {
}
