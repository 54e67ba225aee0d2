package io.github.pgqueue;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

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

	/** The most jobs any count of {@link #queueSummaries} counts, and the dead jobs it looks at. */
	int SUMMARY_CAP = 10_000;

	/**
	 * Per queue, its waiting, scheduled, running and dead jobs, its oldest waiting age and whether it
	 * is paused, read through the claim, lease and pruner indexes and counted up to
	 * {@link #SUMMARY_CAP}: cheap however many finished jobs the table keeps.
	 * @param queues the queues to show even when they hold no job; queues holding available jobs, or
	 * paused, show anyway
	 * @return one summary per queue, by name
	 */
	List<QueueSummary> queueSummaries(Collection<String> queues);

	/**
	 * Per minute of the last {@code minutes} (the current one included, by the database clock), the
	 * jobs completed and gone dead, through the index on {@code (state, finalized_at)}.
	 * @param minutes from 1 to 1440
	 * @return one entry per minute, oldest first, every minute present
	 */
	List<FinishedPerMinute> finishedPerMinute(int minutes);

	/**
	 * @param idempotencyKey a key a job was enqueued with
	 * @return that job, if it is still kept
	 */
	Optional<JobInfo> findByIdempotencyKey(String idempotencyKey);

	/**
	 * The dead letter grouped by kind, among the {@link #SUMMARY_CAP} most recently dead jobs.
	 * @return per kind, its dead jobs, the kind with the most first
	 */
	List<DeadKind> deadKinds();

	/** @return every periodic job's last tick, as the nodes recorded it, by name */
	List<PeriodicTick> periodicTicks();

	/** @return the workers holding leases on running jobs, with what they run, by worker id */
	List<LeaseHolder> leaseHolders();

}
