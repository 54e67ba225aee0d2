package io.github.pgqueue.store;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.pgqueue.FinishedPerMinute;
import io.github.pgqueue.LeaseHolder;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reads that health and the gauges run all the time, each costing the same however many finished
 * jobs the table keeps: bounded by the indexes' first rows and caps ({@link #queueHeads},
 * {@link #countDeadUpTo}), or read from PostgreSQL's statistics and catalogs
 * ({@link #estimateJobTable}, {@link #oldestHorizonHolder}); and what an operator's dashboard refreshes,
 * bounded the same way ({@link #countWaitingAndScheduledUpTo}, {@link #countRecentDead},
 * {@link #countFinishedPerMinute}, {@link #leaseHolders}). Internal.
 */
public final class MonitorStore {

	/** The most distinct queues, and priorities per queue, that {@link #queueHeads} walks. */
	public static final int LOOSE_SCAN_DEPTH = 100;

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
			""".replace("{depth}", Integer.toString(MonitorStore.LOOSE_SCAN_DEPTH));

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

	// Per named queue, its available jobs whose run_at has come (waiting) and those whose run_at is
	// still ahead (scheduled), each through the claim index (whose rows are the available jobs, led by
	// queue) and counted up to :cap.
	static final String COUNT_WAITING_AND_SCHEDULED_UP_TO = """
			SELECT n.queue,
			       (SELECT count(*) FROM (SELECT 1 FROM {job} AS j
			                              WHERE j.state = 'available' AND j.queue = n.queue AND j.run_at <= now()
			                              LIMIT :cap) AS w) AS waiting,
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

	private final JdbcClient jdbc;

	private final String queueHeads;

	private final String countDeadUpTo;

	private final String schema;

	private final String countWaitingAndScheduledUpTo;

	private final String countRecentDead;

	private final String countFinishedPerMinute;

	private final String leaseHolders;

	MonitorStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.queueHeads = tables.sql(QUEUE_HEADS);
		this.countDeadUpTo = tables.sql(COUNT_DEAD_UP_TO);
		this.schema = tables.schema();
		this.countWaitingAndScheduledUpTo = tables.sql(COUNT_WAITING_AND_SCHEDULED_UP_TO);
		this.countRecentDead = tables.sql(COUNT_RECENT_DEAD);
		this.countFinishedPerMinute = tables.sql(COUNT_FINISHED_PER_MINUTE);
		this.leaseHolders = tables.sql(LEASE_HOLDERS);
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
			.query((rs, row) -> new QueueHead(rs.getString("queue"), QueryStore.seconds(rs.getBigDecimal("oldest_waiting_seconds")),
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
		this.jdbc.sql(JOB_TABLE_STATISTICS).param("schema", this.schema).query((rs) -> {
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
		return this.jdbc.sql(OLDEST_HORIZON_HOLDER)
			.query((rs, row) -> new HorizonHolder(rs.getString("holder"), rs.getObject("pid", Integer.class),
					rs.getString("name"), rs.getString("state"),
					Objects.requireNonNullElse(QueryStore.seconds(rs.getBigDecimal("age_seconds")), Duration.ZERO)))
			.optional();
	}

	/**
	 * @param queues the queues to count
	 * @param cap the most counted per queue and count
	 * @return per queue, its available jobs already due and those not yet due ({@code [waiting,
	 * scheduled]}), each counted up to the cap
	 */
	public Map<String, long[]> countWaitingAndScheduledUpTo(Collection<String> queues, int cap) {
		Map<String, long[]> counts = new HashMap<>();
		this.jdbc.sql(this.countWaitingAndScheduledUpTo)
			.param("queues", queues.toArray(String[]::new))
			.param("cap", cap)
			.query((rs) -> {
				counts.put(rs.getString("queue"), new long[] { rs.getLong("waiting"), rs.getLong("scheduled") });
			});
		return counts;
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

}
