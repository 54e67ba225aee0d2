package io.github.pgqueue;

/**
 * The outcome of one enqueue.
 *
 * @param jobId the job's id: the new job's, or the existing job's when {@code duplicate}
 * @param duplicate whether a job with the same idempotency key already existed, in which case
 * nothing was written
 */
public record EnqueueResult(JobId jobId, boolean duplicate) {

	public static EnqueueResult created(JobId jobId) {
		return new EnqueueResult(jobId, false);
	}

	public static EnqueueResult duplicateOf(JobId jobId) {
		return new EnqueueResult(jobId, true);
	}

}
