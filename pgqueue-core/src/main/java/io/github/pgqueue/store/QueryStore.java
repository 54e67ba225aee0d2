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

import io.github.pgqueue.FinishedPerMinute;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.LeaseHolder;
import io.github.pgqueue.JobState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL that reads jobs for producers and operators, and the operators' writes on one job or on
 * the dead letter: find, list (keyset-paged), counts, cancel, retry, retry dead, discard. Internal.
 * <p>
 * Nothing here runs on a worker's hot path. Every write says its guard in its name. What health and
 * the gauges read all the time ({@link #queueHeads}, {@link #countDeadUpTo}, {@link #estimateJobTable},
 * {@link #oldestHorizonHolder}) is bounded by indexes' first rows and caps, or read from statistics;
 * {@link #countByQueueAndState} reads the whole table and is for an operator's request only.
 */
public final class QueryStore {

	/** The most distinct queues, and priorities per queue, that {@link #queueHeads} walks. */
	public static final int LOOSE_SCAN_DEPTH = 100;

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

	// A page of jobs, newest first, optionally of one state, queue and kind, before a cursor: keyset
	// paging on the primary key, so a page costs the same however deep it is (no OFFSET).
	private static final String LIST_JOBS = JOB_ROW + """
			WHERE (CAST(:state AS text) IS NULL OR j.state = :state)
			  AND (CAST(:queue AS text) IS NULL OR j.queue = :queue)
			  AND (CAST(:kind AS text) IS NULL OR j.kind = :kind)
			  AND j.id < :before
			ORDER BY j.id DESC
			LIMIT :limit
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

	// Per queue, the configured ones and up to {depth} that hold available jobs (found by a loose scan of
	// the claim index): its oldest runnable job's age, from the first claim-index row of each of up to
	// {depth} priorities, and its available and running jobs counted through the claim and lease
	// indexes up to :cap. Nothing here grows with the finished jobs the table keeps.
	static final String QUEUE_HEADS = """
			WITH RECURSIVE waiting (queue, depth) AS (
			    (SELECT queue, 0 FROM {job} WHERE state = 'available' ORDER BY queue LIMIT 1)
			    UNION ALL
			    SELECT (SELECT j.queue FROM {job} AS j
			            WHERE j.state = 'available' AND j.queue > w.queue ORDER BY j.queue LIMIT 1), w.depth + 1
			    FROM waiting AS w
			    WHERE w.queue IS NOT NULL AND w.depth < {depth}
			),
			names AS (
			    SELECT queue FROM waiting WHERE queue IS NOT NULL
			    UNION
			    SELECT unnest(CAST(:queues AS text[]))
			),
			levels (queue, priority, depth) AS (
			    SELECT n.queue, (SELECT j.priority FROM {job} AS j
			                     WHERE j.state = 'available' AND j.queue = n.queue
			                     ORDER BY j.priority DESC LIMIT 1), 0
			    FROM names AS n
			    UNION ALL
			    SELECT l.queue, (SELECT j.priority FROM {job} AS j
			                     WHERE j.state = 'available' AND j.queue = l.queue AND j.priority < l.priority
			                     ORDER BY j.priority DESC LIMIT 1), l.depth + 1
			    FROM levels AS l
			    WHERE l.priority IS NOT NULL AND l.depth < {depth}
			)
			SELECT n.queue,
			       (SELECT EXTRACT(EPOCH FROM now() - min(head.run_at))
			        FROM levels AS l CROSS JOIN LATERAL (
			            SELECT j.run_at FROM {job} AS j
			            WHERE j.state = 'available' AND j.queue = l.queue AND j.priority = l.priority
			            ORDER BY j.run_at LIMIT 1) AS head
			        WHERE l.queue = n.queue AND l.priority IS NOT NULL AND head.run_at <= now())
			           AS oldest_waiting_seconds,
			       (SELECT count(*) FROM (SELECT 1 FROM {job} AS j
			                              WHERE j.state = 'available' AND j.queue = n.queue LIMIT :cap) AS a)
			           AS available,
			       (SELECT count(*) FROM (SELECT 1 FROM {job} AS j
			                              WHERE j.state = 'running' AND j.queue = n.queue LIMIT :cap) AS r)
			           AS running
			FROM names AS n
			ORDER BY n.queue
			""".replace("{depth}", Integer.toString(QueryStore.LOOSE_SCAN_DEPTH));

	// Dead jobs, counted through the pruner's index up to :cap.
	static final String COUNT_DEAD_UP_TO = """
			SELECT count(*) FROM (SELECT 1 FROM {job} WHERE state = 'dead' AND finalized_at IS NOT NULL LIMIT :cap) AS d
			""";

	// The job table's statistics, never the table: its rows (reltuples scaled to its current pages, as
	// the planner does) and the most common values of queue and state with their fractions.
	private static final String JOB_TABLE_STATISTICS = """
			SELECT CASE WHEN c.relpages > 0
			            THEN c.reltuples / c.relpages
			                 * (pg_relation_size(c.oid) / CAST(current_setting('block_size') AS float8))
			            ELSE GREATEST(c.reltuples, 0) END AS table_rows,
			       s.attname, s.n_distinct, v.value, v.freq
			FROM pg_class AS c
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			LEFT JOIN pg_stats AS s ON s.schemaname = n.nspname AND s.tablename = c.relname
			                       AND s.attname IN ('queue', 'state') AND NOT s.inherited
			LEFT JOIN LATERAL unnest(CAST(CAST(s.most_common_vals AS text) AS text[]), s.most_common_freqs)
			    AS v(value, freq) ON true
			WHERE n.nspname = :schema AND c.relname = 'pgqueue_job'
			""";

	// What holds vacuum's horizon back in this database, oldest first by transaction id: another
	// session's snapshot or transaction id (autovacuum's own are ignored by vacuum), or a prepared
	// transaction. Another role's sessions show only with pg_read_all_stats.
	private static final String OLDEST_HORIZON_HOLDER = """
			SELECT holder, pid, name, state, age_seconds FROM (
			    SELECT 'session' AS holder, pid, application_name AS name, state,
			           EXTRACT(EPOCH FROM now() - COALESCE(xact_start, query_start, backend_start)) AS age_seconds,
			           GREATEST(age(backend_xmin), age(backend_xid)) AS xid_age
			    FROM pg_stat_activity
			    WHERE datname = current_database() AND pid <> pg_backend_pid()
			      AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL) AND backend_type <> 'autovacuum worker'
			    UNION ALL
			    SELECT 'prepared transaction', NULL, gid, 'prepared', EXTRACT(EPOCH FROM now() - prepared),
			           age(transaction)
			    FROM pg_prepared_xacts
			    WHERE database = current_database()
			) AS holders
			ORDER BY xid_age DESC, age_seconds DESC
			LIMIT 1
			""";

	// One job by its idempotency key, through the idempotency-key index.
	private static final String SELECT_JOB_BY_IDEMPOTENCY_KEY = JOB_ROW + """
			WHERE idempotency_key = :key
			""";

	// Per named queue, its available jobs whose run_at is still ahead, through the claim index (whose
	// rows are the available jobs, led by queue) up to :cap.
	static final String COUNT_SCHEDULED_UP_TO = """
			SELECT n.queue,
			       (SELECT count(*) FROM (SELECT 1 FROM {job} AS j
			                              WHERE j.state = 'available' AND j.queue = n.queue AND j.run_at > now()
			                              LIMIT :cap) AS s) AS scheduled
			FROM unnest(CAST(:queues AS text[])) AS n (queue)
			""";

	// The most recently dead :cap jobs, through the pruner's index, grouped by queue and kind: what the
	// dead letter holds, never read past the cap.
	static final String COUNT_RECENT_DEAD = """
			SELECT queue, kind, count(*) AS jobs, max(finalized_at) AS last_dead_at
			FROM (SELECT queue, kind, finalized_at FROM {job}
			      WHERE state = 'dead' AND finalized_at IS NOT NULL
			      ORDER BY state, finalized_at DESC
			      LIMIT :cap) AS d
			GROUP BY queue, kind
			ORDER BY queue, kind
			""";

	// Per minute of the last :minutes by the database clock (the current one included), the jobs
	// completed and gone dead in it, through the pruner's index on (state, finalized_at).
	static final String COUNT_FINISHED_PER_MINUTE = """
			WITH minutes AS (
			    SELECT generate_series(date_trunc('minute', now()) - (:minutes - 1) * interval '1 minute',
			                           date_trunc('minute', now()), interval '1 minute') AS minute
			),
			finished AS (
			    SELECT date_trunc('minute', finalized_at) AS minute, state FROM {job}
			    WHERE state IN ('completed', 'dead') AND finalized_at IS NOT NULL
			      AND finalized_at >= date_trunc('minute', now()) - (:minutes - 1) * interval '1 minute'
			)
			SELECT m.minute,
			       count(f.state) FILTER (WHERE f.state = 'completed') AS completed,
			       count(f.state) FILTER (WHERE f.state = 'dead') AS failed
			FROM minutes AS m LEFT JOIN finished AS f ON f.minute = m.minute
			GROUP BY m.minute
			ORDER BY m.minute
			""";

	// The owners of the running jobs' leases, through the lease index (its rows are the running jobs,
	// as many as the nodes' concurrency at most): what each runs and its latest lease expiry.
	static final String LEASE_HOLDERS = """
			SELECT lease_owner, count(*) AS running, array_agg(DISTINCT kind ORDER BY kind) AS kinds,
			       array_agg(DISTINCT queue ORDER BY queue) AS queues, max(lease_expires_at) AS lease_expires_at
			FROM {job}
			WHERE state = 'running' AND lease_expires_at IS NOT NULL
			GROUP BY lease_owner
			ORDER BY lease_owner
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

	private final String selectDead;

	private final String countByQueueAndState;

	private final String queueHeads;

	private final String countDeadUpTo;

	private final String jobTableStatistics;

	private final String oldestHorizonHolder;

	private final String schema;

	private final String selectJobByIdempotencyKey;

	private final String countScheduledUpTo;

	private final String countRecentDead;

	private final String countFinishedPerMinute;

	private final String leaseHolders;

	private final String cancelIfUnfinished;

	private final String retryIfFinishedUnsuccessfully;

	private final String retryDeadOfKind;

	private final String deleteIfDead;

	QueryStore(JdbcClient jdbc, Tables tables, JsonMapper json) {
		this.jdbc = jdbc;
		this.jobInfo = new JobInfoMapper(json);
		this.selectJob = jobRowSql(tables, SELECT_JOB);
		this.listJobs = jobRowSql(tables, LIST_JOBS);
		this.selectDead = tables.sql(SELECT_DEAD);
		this.countByQueueAndState = tables.sql(COUNT_BY_QUEUE_AND_STATE);
		this.queueHeads = tables.sql(QUEUE_HEADS);
		this.countDeadUpTo = tables.sql(COUNT_DEAD_UP_TO);
		this.jobTableStatistics = JOB_TABLE_STATISTICS;
		this.oldestHorizonHolder = OLDEST_HORIZON_HOLDER;
		this.schema = tables.schema();
		this.selectJobByIdempotencyKey = jobRowSql(tables, SELECT_JOB_BY_IDEMPOTENCY_KEY);
		this.countScheduledUpTo = tables.sql(COUNT_SCHEDULED_UP_TO);
		this.countRecentDead = tables.sql(COUNT_RECENT_DEAD);
		this.countFinishedPerMinute = tables.sql(COUNT_FINISHED_PER_MINUTE);
		this.leaseHolders = tables.sql(LEASE_HOLDERS);
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
	 * @param queues the queues to count
	 * @param cap the most counted per queue
	 * @return per queue, its available jobs not yet due, counted up to the cap
	 */
	public Map<String, Long> countScheduledUpTo(Collection<String> queues, int cap) {
		Map<String, Long> scheduled = new HashMap<>();
		this.jdbc.sql(this.countScheduledUpTo)
			.param("queues", queues.toArray(String[]::new))
			.param("cap", cap)
			.query((rs) -> {
				scheduled.put(rs.getString("queue"), rs.getLong("scheduled"));
			});
		return scheduled;
	}

	/**
	 * @param cap the most dead jobs looked at, most recently dead first
	 * @return those dead jobs counted by queue and kind
	 */
	public List<DeadCount> countRecentDead(int cap) {
		return this.jdbc.sql(this.countRecentDead)
			.param("cap", cap)
			.query((rs, row) -> new DeadCount(rs.getString("queue"), rs.getString("kind"), rs.getLong("jobs"),
					Objects.requireNonNull(JobRows.instant(rs, "last_dead_at"))))
			.list();
	}

	/**
	 * @param minutes how many minutes, the current one included
	 * @return one entry per minute, oldest first, every minute present
	 */
	public List<FinishedPerMinute> countFinishedPerMinute(int minutes) {
		return this.jdbc.sql(this.countFinishedPerMinute)
			.param("minutes", minutes)
			.query((rs, row) -> new FinishedPerMinute(Objects.requireNonNull(JobRows.instant(rs, "minute")),
					rs.getLong("completed"), rs.getLong("failed")))
			.list();
	}

	/** @return the owners of running jobs' leases, by owner */
	public List<LeaseHolder> leaseHolders() {
		return this.jdbc.sql(this.leaseHolders)
			.query((rs, row) -> new LeaseHolder(rs.getString("lease_owner"), rs.getLong("running"),
					List.of((String[]) rs.getArray("kinds").getArray()),
					List.of((String[]) rs.getArray("queues").getArray()),
					Objects.requireNonNull(JobRows.instant(rs, "lease_expires_at"))))
			.list();
	}

	/**
	 * @param state only jobs in this state, or {@code null} for all
	 * @param queue only jobs on this queue, or {@code null} for all
	 * @param kind only jobs of this kind, or {@code null} for all
	 * @param beforeId only jobs with a smaller id ({@link Long#MAX_VALUE} for the first page)
	 * @param limit the most to return
	 * @return the jobs, newest (highest id) first
	 */
	public List<JobInfo> list(@Nullable JobState state, @Nullable String queue, @Nullable String kind, long beforeId,
			int limit) {
		return this.jdbc.sql(this.listJobs)
			.param("state", (state != null) ? state.dbValue() : null, java.sql.Types.VARCHAR)
			.param("queue", queue, java.sql.Types.VARCHAR)
			.param("kind", kind, java.sql.Types.VARCHAR)
			.param("before", beforeId)
			.param("limit", limit)
			.query(this.jobInfo)
			.list();
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

	/**
	 * Reads every queue's head through the claim and lease indexes: cheap whatever the table keeps, so
	 * fit for what runs all the time (health, gauges).
	 * @param queues the queues to show even when they hold no job (those holding available jobs show
	 * anyway, up to {@value #LOOSE_SCAN_DEPTH})
	 * @param cap the most jobs counted per queue and state
	 * @return one head per queue, by name
	 */
	public List<QueueHead> queueHeads(Collection<String> queues, int cap) {
		return this.jdbc.sql(this.queueHeads)
			.param("queues", queues.toArray(String[]::new))
			.param("cap", cap)
			.query((rs, row) -> new QueueHead(rs.getString("queue"), seconds(rs.getBigDecimal("oldest_waiting_seconds")),
					rs.getLong("available"), rs.getLong("running"), cap))
			.list();
	}

	/** @return the dead jobs, counted up to the cap (equal to it: at least that many) */
	public long countDeadUpTo(int cap) {
		return this.jdbc.sql(this.countDeadUpTo).param("cap", cap).query(Long.class).single();
	}

	/** @return the job table's size and spread from PostgreSQL's statistics, without reading the table */
	public JobTableEstimate estimateJobTable() {
		double[] rows = { 0 };
		double[] queueDistinct = { 0 };
		Map<String, Double> queues = new HashMap<>();
		Map<String, Double> states = new HashMap<>();
		this.jdbc.sql(this.jobTableStatistics).param("schema", this.schema).query((rs) -> {
			rows[0] = rs.getDouble("table_rows");
			String column = rs.getString("attname");
			String value = rs.getString("value");
			if (column == null || value == null) {
				return;
			}
			if ("queue".equals(column)) {
				double distinct = rs.getDouble("n_distinct");
				queueDistinct[0] = (distinct < 0) ? -distinct * rows[0] : distinct;
				queues.put(value, rs.getDouble("freq"));
			}
			else {
				states.put(value, rs.getDouble("freq"));
			}
		});
		return new JobTableEstimate(rows[0], queues, queueDistinct[0], states);
	}

	/** @return what holds this database's MVCC horizon back the longest, if anything holds it */
	public Optional<HorizonHolder> oldestHorizonHolder() {
		return this.jdbc.sql(this.oldestHorizonHolder)
			.query((rs, row) -> new HorizonHolder(rs.getString("holder"), rs.getObject("pid", Integer.class),
					rs.getString("name"), rs.getString("state"),
					Objects.requireNonNullElse(seconds(rs.getBigDecimal("age_seconds")), Duration.ZERO)))
			.optional();
	}

	private static @Nullable Duration seconds(@Nullable BigDecimal seconds) {
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
