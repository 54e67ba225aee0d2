package io.github.pgqueue.store;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import io.github.pgqueue.QueueStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL that reads jobs for producers and operators, and the operators' writes on one job or on
 * the dead letter: find, list (keyset-paged), counts, cancel, retry, retry dead, discard. Internal.
 * <p>
 * Nothing here runs on a worker's hot path, nor on a timer (what health and the gauges read lives in
 * {@link MonitorStore}). Every write says its guard in its name. {@link #countByQueueAndState} reads the
 * whole table and is for an operator's request only.
 */
public final class QueryStore {

	// A job as JobInfo reads it, with its side-effect ledger; a step counts as running only while its
	// attempt still holds the lease, and is in doubt otherwise. Times are rendered in UTC.
	private static final String JOB_ROW = """
			SELECT id, queue, kind, CAST(payload AS text) AS payload, state, priority, attempt, max_attempts,
			       run_at, created_at, attempted_at, finalized_at, lease_owner, lease_expires_at,
			       idempotency_key, cancel_requested_at IS NOT NULL AS cancel_requested,
			       CAST(errors AS text) AS errors,
			       (SELECT CAST(COALESCE(jsonb_agg(jsonb_build_object(
			                   'key', s.key, 'attempt', s.attempt,
			                   'state', CASE WHEN s.state = 'succeeded' THEN 'SUCCEEDED'
			                                 WHEN j.state = 'running' AND s.attempt = j.attempt
			                                      AND s.owner = j.lease_owner THEN 'RUNNING'
			                                 ELSE 'IN_DOUBT' END,
			                   'startedAt', {utcStartedAt}, 'completedAt', {utcCompletedAt})
			                   ORDER BY s.started_at, s.key), '[]') AS text)
			        FROM {sideEffect} AS s WHERE s.job_id = j.id) AS side_effects
			FROM {job} AS j
			""";

	// One job by id.
	private static final String SELECT_JOB = JOB_ROW + """
			WHERE id = :id
			""";

	// A page of the newest jobs before a cursor: keyset paging on the primary key, so a page costs
	// the same however deep it is (no OFFSET).
	private static final String LIST_JOBS = JOB_ROW + """
			WHERE j.id < :before
			ORDER BY j.id DESC
			LIMIT :limit
			""";

	// A page of running jobs, optionally of one queue and kind, before a cursor: all of them read
	// through the lease index (running jobs are as few as the leases held), then sorted.
	private static final String LIST_RUNNING_JOBS = JOB_ROW + """
			WHERE j.state = 'running'
			  AND (CAST(:queue AS text) IS NULL OR j.queue = :queue)
			  AND (CAST(:kind AS text) IS NULL OR j.kind = :kind)
			  AND j.id < :before
			ORDER BY j.id DESC
			LIMIT :limit
			""";

	// A page of the jobs of one state, queue or kind among a window of the newest jobs before the
	// cursor (the window's rows by the primary key): a page reads at most the window however big
	// the table and however rare the match, and the next page searches on from the window's edge.
	// The matches are picked inside the window's subquery, so only they are read again, by id.
	private static final String LIST_JOBS_IN_WINDOW = JOB_ROW + """
			WHERE j.id IN (
			    SELECT w.id FROM (
			        SELECT id, state, queue, kind FROM {job} WHERE id < :before ORDER BY id DESC LIMIT :window
			    ) AS w
			    WHERE (CAST(:state AS text) IS NULL OR w.state = :state)
			      AND (CAST(:queue AS text) IS NULL OR w.queue = :queue)
			      AND (CAST(:kind AS text) IS NULL OR w.kind = :kind)
			    ORDER BY w.id DESC
			    LIMIT :limit
			)
			ORDER BY j.id DESC
			""";

	// The oldest id of that window, and how many jobs it held (fewer than the window: none older).
	private static final String WINDOW_EDGE = """
			SELECT min(w.id) AS oldest, count(*) AS jobs
			FROM (SELECT id FROM {job} WHERE id < :before ORDER BY id DESC LIMIT :window) AS w
			""";

	// Dead jobs, newest first, optionally of one kind.
	private static final String SELECT_DEAD = """
			SELECT id FROM {job}
			WHERE state = 'dead' AND (CAST(:kind AS text) IS NULL OR kind = :kind)
			ORDER BY state, finalized_at DESC, id DESC
			LIMIT :limit
			""";

	// Per queue and state: how many jobs, and for available ones the oldest run_at, by the database clock.
	private static final String COUNT_BY_QUEUE_AND_STATE = """
			SELECT queue, state, count(*) AS jobs,
			       EXTRACT(EPOCH FROM now() - min(run_at) FILTER (WHERE state = 'available' AND run_at <= now()))
			           AS oldest_waiting_seconds
			FROM {job}
			GROUP BY queue, state
			ORDER BY queue, state
			""";

	// Per queue that holds a job or has a pause row: its jobs by state (runnable and scheduled apart),
	// its oldest runnable job's age by the database clock, and its pause. Reads the whole job table.
	private static final String QUEUE_STATUSES = """
			WITH counts AS (
			    SELECT queue,
			           count(*) FILTER (WHERE state = 'available' AND run_at <= now()) AS waiting,
			           count(*) FILTER (WHERE state = 'available' AND run_at > now()) AS scheduled,
			           count(*) FILTER (WHERE state = 'running') AS running,
			           count(*) FILTER (WHERE state = 'completed') AS completed,
			           count(*) FILTER (WHERE state = 'dead') AS dead,
			           count(*) FILTER (WHERE state = 'cancelled') AS cancelled,
			           EXTRACT(EPOCH FROM now() - min(run_at) FILTER (WHERE state = 'available' AND run_at <= now()))
			               AS oldest_waiting_seconds
			    FROM {job}
			    GROUP BY queue
			)
			SELECT COALESCE(c.queue, q.name) AS queue, COALESCE(c.waiting, 0) AS waiting,
			       COALESCE(c.scheduled, 0) AS scheduled, COALESCE(c.running, 0) AS running,
			       COALESCE(c.completed, 0) AS completed, COALESCE(c.dead, 0) AS dead,
			       COALESCE(c.cancelled, 0) AS cancelled, c.oldest_waiting_seconds,
			       COALESCE(q.paused, false) AS paused
			FROM counts AS c
			FULL JOIN {queue} AS q ON q.name = c.queue
			ORDER BY 1
			""";

	// One job by its idempotency key, through the idempotency-key index.
	private static final String SELECT_JOB_BY_IDEMPOTENCY_KEY = JOB_ROW + """
			WHERE idempotency_key = :key
			""";

	// Cancels an available job at once; marks a running one so its worker learns it at its heartbeat.
	private static final String CANCEL_IF_UNFINISHED = """
			UPDATE {job}
			SET state = CASE WHEN state = 'available' THEN 'cancelled' ELSE state END,
			    finalized_at = CASE WHEN state = 'available' THEN now() ELSE finalized_at END,
			    cancel_requested_at = COALESCE(cancel_requested_at, now())
			WHERE id = :id AND state IN ('available', 'running')
			""";

	// Puts a dead or cancelled job back, keeping its history; one more attempt if it had used all.
	private static final String RETRY_IF_FINISHED_UNSUCCESSFULLY = """
			UPDATE {job}
			SET state = 'available', run_at = now(), finalized_at = NULL, cancel_requested_at = NULL,
			    max_attempts = GREATEST(max_attempts, attempt + 1)
			WHERE id = :id AND state IN ('dead', 'cancelled')
			""";

	// Puts one batch of dead jobs of a kind back, as RETRY_IF_FINISHED_UNSUCCESSFULLY does for one.
	private static final String RETRY_DEAD_OF_KIND = """
			WITH dead AS (
			    SELECT id FROM {job} WHERE state = 'dead' AND kind = :kind
			    ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED
			)
			UPDATE {job} AS j
			SET state = 'available', run_at = now(), finalized_at = NULL, cancel_requested_at = NULL,
			    max_attempts = GREATEST(j.max_attempts, j.attempt + 1)
			WHERE j.id = ANY(ARRAY(SELECT id FROM dead))
			""";

	// Deletes a dead job (and, by cascade, its side-effect ledger); only a dead one.
	private static final String DELETE_IF_DEAD = """
			DELETE FROM {job} WHERE id = :id AND state = 'dead'
			""";

	private final JdbcClient jdbc;

	private final JobInfoMapper jobInfo;

	private final String selectJob;

	private final String listJobs;

	private final String listRunningJobs;

	private final String listJobsInWindow;

	private final String windowEdge;

	private final String selectDead;

	private final String countByQueueAndState;

	private final String queueStatuses;

	private final String selectJobByIdempotencyKey;

	private final String cancelIfUnfinished;

	private final String retryIfFinishedUnsuccessfully;

	private final String retryDeadOfKind;

	private final String deleteIfDead;

	QueryStore(JdbcClient jdbc, Tables tables, JsonMapper json) {
		this.jdbc = jdbc;
		this.jobInfo = new JobInfoMapper(json);
		this.selectJob = jobRowSql(tables, SELECT_JOB);
		this.listJobs = jobRowSql(tables, LIST_JOBS);
		this.listRunningJobs = jobRowSql(tables, LIST_RUNNING_JOBS);
		this.listJobsInWindow = jobRowSql(tables, LIST_JOBS_IN_WINDOW);
		this.windowEdge = tables.sql(WINDOW_EDGE);
		this.selectDead = tables.sql(SELECT_DEAD);
		this.countByQueueAndState = tables.sql(COUNT_BY_QUEUE_AND_STATE);
		this.queueStatuses = tables.sql(QUEUE_STATUSES);

		this.selectJobByIdempotencyKey = jobRowSql(tables, SELECT_JOB_BY_IDEMPOTENCY_KEY);
		this.cancelIfUnfinished = tables.sql(CANCEL_IF_UNFINISHED);
		this.retryIfFinishedUnsuccessfully = tables.sql(RETRY_IF_FINISHED_UNSUCCESSFULLY);
		this.retryDeadOfKind = tables.sql(RETRY_DEAD_OF_KIND);
		this.deleteIfDead = tables.sql(DELETE_IF_DEAD);
	}

	private static String jobRowSql(Tables tables, String template) {
		return tables.sql(template.replace("{utcStartedAt}", Tables.utc("s.started_at"))
			.replace("{utcCompletedAt}", Tables.utc("s.completed_at")));
	}

	/** @return the job, unless it does not exist (or was pruned) */
	public Optional<JobInfo> find(long id) {
		return this.jdbc.sql(this.selectJob).param("id", id).query(this.jobInfo).optional();
	}

	/** @return the job enqueued with that idempotency key, if it is still kept */
	public Optional<JobInfo> findByIdempotencyKey(String key) {
		return this.jdbc.sql(this.selectJobByIdempotencyKey).param("key", key).query(this.jobInfo).optional();
	}

	/**
	 * @param beforeId only jobs with a smaller id ({@link Long#MAX_VALUE} for the first page)
	 * @param limit the most to return
	 * @return the newest jobs before the cursor, newest (highest id) first
	 */
	public List<JobInfo> list(long beforeId, int limit) {
		return this.jdbc.sql(this.listJobs).param("before", beforeId).param("limit", limit).query(this.jobInfo).list();
	}

	/**
	 * @param queue only jobs on this queue, or {@code null} for all
	 * @param kind only jobs of this kind, or {@code null} for all
	 * @param beforeId only jobs with a smaller id ({@link Long#MAX_VALUE} for the first page)
	 * @param limit the most to return
	 * @return running jobs before the cursor, newest (highest id) first
	 */
	public List<JobInfo> listRunning(@Nullable String queue, @Nullable String kind, long beforeId, int limit) {
		return this.jdbc.sql(this.listRunningJobs)
			.param("queue", queue, java.sql.Types.VARCHAR)
			.param("kind", kind, java.sql.Types.VARCHAR)
			.param("before", beforeId)
			.param("limit", limit)
			.query(this.jobInfo)
			.list();
	}

	/**
	 * @param state only jobs in this state, or {@code null} for all
	 * @param queue only jobs on this queue, or {@code null} for all
	 * @param kind only jobs of this kind, or {@code null} for all
	 * @param beforeId where the window starts: only jobs with a smaller id
	 * @param window how many of the newest jobs before the cursor to search
	 * @param limit the most to return
	 * @return the matching jobs among the window, newest (highest id) first
	 */
	public List<JobInfo> listInWindow(@Nullable JobState state, @Nullable String queue, @Nullable String kind,
			long beforeId, int window, int limit) {
		return this.jdbc.sql(this.listJobsInWindow)
			.param("state", (state != null) ? state.dbValue() : null, java.sql.Types.VARCHAR)
			.param("queue", queue, java.sql.Types.VARCHAR)
			.param("kind", kind, java.sql.Types.VARCHAR)
			.param("before", beforeId)
			.param("window", window)
			.param("limit", limit)
			.query(this.jobInfo)
			.list();
	}

	/**
	 * @param beforeId where the window starts: only jobs with a smaller id
	 * @param window how many of the newest jobs before the cursor the window holds at most
	 * @return the window's oldest id, if the window is full (older jobs may follow it)
	 */
	public OptionalLong windowEdgeIfFull(long beforeId, int window) {
		return this.jdbc.sql(this.windowEdge)
			.param("before", beforeId)
			.param("window", window)
			.query((rs, row) -> (rs.getLong("jobs") == window) ? OptionalLong.of(rs.getLong("oldest")) : OptionalLong.empty())
			.single();
	}

	/**
	 * @param kind a kind, or {@code null} for all
	 * @param limit the most to return
	 * @return dead jobs, most recently dead first
	 */
	public List<JobInfo> findDead(@Nullable String kind, int limit) {
		List<Long> ids = this.jdbc.sql(this.selectDead)
			.param("kind", kind, java.sql.Types.VARCHAR)
			.param("limit", limit)
			.query(Long.class)
			.list();
		List<JobInfo> jobs = new ArrayList<>(ids.size());
		for (Long id : ids) {
			find(id).ifPresent(jobs::add);
		}
		return jobs;
	}

	static @Nullable Duration seconds(@Nullable BigDecimal seconds) {
		return (seconds != null) ? Duration.ofMillis(seconds.movePointRight(3).longValue()) : null;
	}

	/**
	 * Counts every job exactly: reads the whole table, so only for an operator's request, never on a
	 * timer.
	 * @return job counts per queue and state
	 */
	public List<QueueStateCount> countByQueueAndState() {
		return this.jdbc.sql(this.countByQueueAndState).query((rs, row) -> {
			return new QueueStateCount(rs.getString("queue"), JobState.fromDbValue(rs.getString("state")),
					rs.getLong("jobs"), seconds(rs.getBigDecimal("oldest_waiting_seconds")));
		}).list();
	}

	/**
	 * Counts every job exactly, with each queue's pause: reads the whole table, so only for an
	 * operator's request, never on a timer.
	 * @return per queue that holds a job or has a pause row, its status, by name
	 */
	public List<QueueStatus> queueStatuses() {
		return this.jdbc.sql(this.queueStatuses)
			.query((rs, row) -> new QueueStatus(rs.getString("queue"), rs.getLong("waiting"), rs.getLong("scheduled"),
					rs.getLong("running"), rs.getLong("completed"), rs.getLong("dead"), rs.getLong("cancelled"),
					seconds(rs.getBigDecimal("oldest_waiting_seconds")), rs.getBoolean("paused")))
			.list();
	}

	/** @return whether the job was available or running, and is now cancelled or asked to cancel */
	public boolean cancelIfUnfinished(long id) {
		return this.jdbc.sql(this.cancelIfUnfinished).param("id", id).update() == 1;
	}

	/** @return whether the job was dead or cancelled, and is now available */
	public boolean retryIfFinishedUnsuccessfully(long id) {
		return this.jdbc.sql(this.retryIfFinishedUnsuccessfully).param("id", id).update() == 1;
	}

	/**
	 * Puts every dead job of a kind back to available, in batches.
	 * @return how many were put back
	 */
	public int retryDeadOfKind(String kind, int batchSize) {
		int total = 0;
		int retried;
		do {
			retried = this.jdbc.sql(this.retryDeadOfKind).param("kind", kind).param("limit", batchSize).update();
			total += retried;
		}
		while (retried == batchSize);
		return total;
	}

	/** @return whether the job was dead and is now deleted */
	public boolean deleteIfDead(long id) {
		return this.jdbc.sql(this.deleteIfDead).param("id", id).update() == 1;
	}

}
