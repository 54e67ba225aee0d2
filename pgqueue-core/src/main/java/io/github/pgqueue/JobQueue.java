package io.github.pgqueue;

import java.util.List;
import java.util.Optional;

/**
 * Produces and manages jobs. Every write joins the caller's Spring-managed transaction when there
 * is one (a rolled-back transaction leaves no job), and otherwise commits on its own.
 * <p>
 * Invalid input (a blank kind, {@code maxAttempts < 1}, a negative delay, a payload Jackson cannot
 * write or one over {@code max-payload-size}) is rejected with an {@link IllegalArgumentException}
 * naming what is wrong, and nothing is written.
 * <p>
 * Operations beyond producing (the dead letter, queue pauses, listing) are on {@link JobOperations}.
 */
public interface JobQueue {

	/**
	 * Enqueues a payload whose type carries {@link Job}, with the configured defaults.
	 * @param payload the payload
	 * @return the new job's id
	 * @throws IllegalArgumentException when the payload's type has no {@link Job} or the payload is invalid
	 * @throws QueueFullException when the queue's backlog is full
	 */
	JobId enqueue(Object payload);

	/**
	 * Enqueues one job described as a request, as {@link #enqueueAll(List)} does for many: the way
	 * to give options to a payload whose type carries {@link Job}
	 * ({@code enqueue(JobRequest.of(payload).withOptions(options))}). A {@code String} as the first
	 * argument of {@code enqueue} is always a kind.
	 * @param request the job
	 * @return the job's id and whether it already existed under the same idempotency key
	 */
	EnqueueResult enqueue(JobRequest request);

	/**
	 * Enqueues a payload of the given kind with the configured defaults.
	 * @param kind the kind
	 * @param payload the payload, any value Jackson can write
	 * @return the new job's id
	 */
	JobId enqueue(String kind, Object payload);

	/**
	 * Enqueues a payload of the given kind. Two enqueues with the same idempotency key yield one job,
	 * even when they race from many threads or nodes; the second returns the first's id with
	 * {@code duplicate = true}.
	 * @param kind the kind
	 * @param payload the payload, any value Jackson can write
	 * @param options the options
	 * @return the job's id and whether it already existed
	 */
	EnqueueResult enqueue(String kind, Object payload, EnqueueOptions options);

	/**
	 * Enqueues many jobs, in one database round trip per batch when no key is a duplicate. All
	 * requests are validated before anything is written.
	 * @param requests the jobs
	 * @return one result per request, in the same order
	 */
	List<EnqueueResult> enqueueAll(List<JobRequest> requests);

	/**
	 * @param id a job id
	 * @return the job, unless it does not exist (or was pruned)
	 */
	Optional<JobInfo> find(JobId id);

	/**
	 * Cancels a job: an available job becomes {@code cancelled} at once; a running job is asked to
	 * stop (its handler sees {@link JobContext#isCancellationRequested()}) and ends {@code cancelled}
	 * unless it completes first.
	 * @param id a job id
	 * @return whether the job was available or running
	 */
	boolean cancel(JobId id);

	/**
	 * Puts a {@code dead} or {@code cancelled} job back to {@code available}, to run at once, keeping
	 * its error history; a job that had used all its attempts is given one more.
	 * @param id a job id
	 * @return whether the job was dead or cancelled
	 */
	boolean retry(JobId id);

}
