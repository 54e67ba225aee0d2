package io.github.pgqueue;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Inspection and operations beyond producing jobs, for an operator: the dead letter, queue pauses,
 * and a keyset-paged listing of jobs, as used by the actuator endpoint, a dashboard or a CLI. The
 * engine implements it beside {@link JobQueue}; with Spring Boot it is a bean.
 * <p>
 * Every write joins the caller's Spring-managed transaction when there is one.
 */
public interface JobOperations {

	/**
	 * Lists the dead letter: jobs that exhausted their attempts or failed permanently, most recently
	 * dead first.
	 * @param kind only jobs of this kind, or {@code null} for all
	 * @param limit the most to return, from 1 to 1000
	 * @return the dead jobs, with their error history
	 */
	List<JobInfo> findDead(@Nullable String kind, int limit);

	/**
	 * Puts every dead job of a kind back to {@code available}, keeping their history, as
	 * {@link JobQueue#retry(JobId)} does for one.
	 * @param kind the kind
	 * @return how many jobs were put back
	 */
	int retryDead(String kind);

	/**
	 * Deletes a dead job for good, with its side-effect ledger.
	 * @param id a job id
	 * @return whether the job was dead and is now gone; jobs in any other state are left alone
	 */
	boolean discard(JobId id);

	/**
	 * Pauses a queue for every node: no worker claims from it until {@link #resume(String)}; running
	 * jobs finish. Stored in the database.
	 * @param queue the queue's name
	 */
	void pause(String queue);

	/**
	 * Resumes a paused queue on every node.
	 * @param queue the queue's name
	 */
	void resume(String queue);

	/** @return the queues paused for every node, by name */
	List<String> pausedQueues();

	/**
	 * Counts every queue's jobs by state, exactly, with whether it is paused: every queue that holds a
	 * job or was ever paused, by name. Reads the whole job table, so it answers an operator's request
	 * and should never run on a timer (health and the gauges read the queues' heads instead).
	 * @return one status per queue, by name
	 */
	List<QueueStatus> queues();

	/**
	 * Lists one page of jobs, newest first, by keyset paging: a page costs the same however deep it
	 * is, and jobs enqueued meanwhile never shift a later page.
	 * @param listing which jobs, from where, and how many
	 * @return the page, and the listing of the next one if there are more
	 */
	JobPage list(JobListing listing);

}
