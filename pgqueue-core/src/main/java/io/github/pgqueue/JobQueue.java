package io.github.pgqueue;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Produces and manages jobs. Every write joins the caller's Spring-managed transaction when there
 * is one (a rolled-back transaction leaves no job), and otherwise commits on its own.
 * <p>
 * Invalid input (a blank kind, {@code maxAttempts < 1}, a negative delay, a payload Jackson cannot
 * write or one over {@code max-payload-size}) is rejected with an {@link IllegalArgumentException}
 * naming what is wrong, and nothing is written.
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
	 * Enqueues a payload whose type carries {@link Job}.
	 * @param payload the payload
	 * @param options the options
	 * @return the job's id and whether it already existed under the same idempotency key
	 */
	EnqueueResult enqueue(Object payload, EnqueueOptions options);

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

	/**
	 * Lists the dead letter: jobs that exhausted their attempts or failed permanently, most recently
	 * dead first.
	 * @param kind only jobs of this kind, or {@code null} for all
	 * @param limit the most to return, from 1 to 1000
	 * @return the dead jobs, with their error history
	 */
	default List<JobInfo> findDead(@Nullable String kind, int limit) {
		throw new UnsupportedOperationException("findDead is not supported by " + getClass().getName());
	}

	/**
	 * Puts every dead job of a kind back to {@code available}, keeping their history, as
	 * {@link #retry(JobId)} does for one.
	 * @param kind the kind
	 * @return how many jobs were put back
	 */
	default int retryDead(String kind) {
		throw new UnsupportedOperationException("retryDead is not supported by " + getClass().getName());
	}

	/**
	 * Deletes a dead job for good, with its side-effect ledger.
	 * @param id a job id
	 * @return whether the job was dead and is now gone; jobs in any other state are left alone
	 */
	default boolean discard(JobId id) {
		throw new UnsupportedOperationException("discard is not supported by " + getClass().getName());
	}

	/**
	 * Pauses a queue for every node: no worker claims from it until {@link #resume(String)}; running
	 * jobs finish. Stored in the database.
	 * @param queue the queue's name
	 */
	default void pause(String queue) {
		throw new UnsupportedOperationException("pause is not supported by " + getClass().getName());
	}

	/**
	 * Resumes a paused queue on every node.
	 * @param queue the queue's name
	 */
	default void resume(String queue) {
		throw new UnsupportedOperationException("resume is not supported by " + getClass().getName());
	}

}
