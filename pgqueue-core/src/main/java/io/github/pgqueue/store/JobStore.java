package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.pgqueue.JobError;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import io.github.pgqueue.SideEffectInfo;
import io.github.pgqueue.SideEffectState;
import io.github.pgqueue.config.SqlIdentifier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;

/**
 * The engine's persistence seam, and the only class with SQL. Internal: not part of the public API.
 * <p>
 * Every statement that changes a job says its guard in its name. Times that decide ownership
 * ({@code run_at}, {@code lease_expires_at}) are always computed from the database's {@code now()};
 * Java passes only durations. Writes go through {@link JdbcClient}, so they join the caller's
 * Spring-managed transaction when there is one.
 */
public final class JobStore {

	// Inserts one job. The statement is composed for the case at hand (see insertSql), so that the
	// common enqueue (no key, runnable now, no wake-up of its own) is as lean as a plain INSERT:
	// - with a key, ON CONFLICT on the key's unique index makes it insert nothing when the key is
	//   taken (the caller then looks the holder up); it waits for a concurrent inserter of the key;
	// - with a wake-up, pg_notify runs in the same statement and is delivered at commit.
	private static final String INSERT = """
			INSERT INTO {job} (queue, kind, payload, priority, max_attempts, idempotency_key, run_at)
			VALUES (:queue, :kind, CAST(:payload AS jsonb), :priority, :maxAttempts, :idempotencyKey, {runAt})
			{onConflict}
			RETURNING id, queue, run_at
			""";

	private static final String SCHEDULED_RUN_AT = """
			COALESCE(CAST(:runAt AS timestamptz), now() + CAST(:delayMillis AS bigint) * interval '1 millisecond')""";

	private static final String ON_KEY_CONFLICT = "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";

	private static final String WITH_WAKE_UP = """
			WITH ins AS (%s)
			SELECT id, CASE WHEN run_at <= now() THEN CAST(pg_notify(:channel, queue) AS text) END FROM ins
			""";

	// The batch form of INSERT: one statement for the whole batch, rows in request order so that
	// ids ascend with it; with :notify, one wake-up per queue that got a job runnable now. A batch
	// without keys leaves out ON CONFLICT, whose arbiter check costs every row about 15%.
	private static final String INSERT_ALL = """
			WITH ins AS (
			    INSERT INTO {job} (queue, kind, payload, priority, max_attempts, run_at, idempotency_key)
			    SELECT r.queue, r.kind, CAST(r.payload AS jsonb), CAST(r.priority AS integer),
			           CAST(r.max_attempts AS integer),
			           COALESCE(CAST(r.run_at AS timestamptz),
			                    now() + CAST(r.delay_millis AS bigint) * interval '1 millisecond'),
			           r.idempotency_key
			    FROM unnest(CAST(:queues AS text[]), CAST(:kinds AS text[]), CAST(:payloads AS text[]),
			                CAST(:priorities AS text[]), CAST(:maxAttempts AS text[]), CAST(:runAts AS text[]),
			                CAST(:delays AS text[]), CAST(:keys AS text[]))
			         WITH ORDINALITY AS r(queue, kind, payload, priority, max_attempts, run_at, delay_millis,
			                              idempotency_key, ord)
			    ORDER BY r.ord
			    {onConflict}
			    RETURNING id, idempotency_key, queue, run_at
			),
			numbered AS (
			    SELECT id, idempotency_key, queue, run_at <= now() AS runnable,
			           row_number() OVER (PARTITION BY queue, run_at <= now() ORDER BY id) AS nth
			    FROM ins
			)
			SELECT id, idempotency_key,
			       CASE WHEN :notify AND runnable AND nth = 1 THEN CAST(pg_notify(:channel, queue) AS text) END
			FROM numbered
			""";

	// The common batch, lean: one queue, priority and max attempts for every row, runnable now, no
	// keys. Only kinds and payloads travel as arrays; the rest are the table's defaults or one value
	// each, and the wake-up is one pg_notify evaluated once (an uncorrelated subquery).
	private static final String INSERT_ALL_UNIFORM = """
			WITH ins AS (
			    INSERT INTO {job} (queue, kind, payload, priority, max_attempts)
			    SELECT :queue, r.kind, CAST(r.payload AS jsonb), :priority, :maxAttempts
			    FROM unnest(CAST(:kinds AS text[]), CAST(:payloads AS text[])) WITH ORDINALITY AS r(kind, payload, ord)
			    ORDER BY r.ord
			    RETURNING id
			)
			SELECT id, (SELECT CAST(pg_notify(:channel, :queue) AS text) WHERE :notify) AS woke
			FROM ins
			""";

	// Wakes a queue's listeners, for a wake-up coalesced away from the enqueue that needed it.
	private static final String NOTIFY = """
			SELECT CAST(pg_notify(:channel, :queue) AS text)
			""";

	// The job holding an idempotency key; a committed row, since READ COMMITTED reads per statement.
	private static final String SELECT_ID_BY_KEY = """
			SELECT id, idempotency_key FROM {job} WHERE idempotency_key IN (:keys)
			""";

	// Counts available jobs up to the limit only, through the claim index.
	private static final String COUNT_BACKLOG_UP_TO = """
			SELECT count(*) FROM (
			    SELECT 1 FROM {job} WHERE queue = :queue AND state = 'available' LIMIT :limit
			) AS backlog
			""";

	// Every multi-row write below finds its rows as "id = ANY(ARRAY(SELECT id FROM cte))": a primary
	// key lookup per row. Joined as "FROM cte", the planner may hash-join the CTE against a sequential
	// scan of the whole table, which grows with every finished job kept.

	// The claim's order, by priority aged by waiting time (now() is the statement's, the same for
	// every row): it picks the jobs, and returns them in the order the worker starts them. In
	// double precision: EXTRACT returns numeric, whose arithmetic costs several times as much.
	private static final String AGED_ORDER =
			"priority + floor(date_part('epoch', now() - run_at) * 1000 / :agingMillis) DESC, run_at, id";

	// Claims up to :limit runnable jobs of the given kinds, by priority aged by waiting time: a job
	// gains one priority step per :agingMillis it has waited past its run_at, so none starves. Two
	// lanes through the one claim index find the candidates: the highest priorities, and, for each
	// lower priority present, its longest-waiting jobs old enough to have aged (within a priority the
	// index holds them oldest first, so these are that priority's best by aged priority). The
	// priorities present are found by a skip scan of the same index, one probe each. The best :limit
	// candidates by aged priority are claimed. SKIP LOCKED lets many workers claim at once without
	// blocking each other or claiming one job twice; the attempt number taken here is the lease's
	// fencing token. The queue and kinds reach the scans through a one-row CTE, so that no plan
	// depends on their values (and which a paused queue leaves empty), and the limit and aging are written into the SQL (see claimSize):
	// each claim statement then settles on one generic plan instead of being planned at every
	// execution.
	static final String CLAIM_AVAILABLE = """
			WITH RECURSIVE args AS MATERIALIZED (
			    SELECT CAST(:queue AS text) AS queue, CAST(:kinds AS text[]) AS kinds
			    -- a queue paused for every node leaves no arguments, and so nothing to claim in either lane
			    WHERE NOT EXISTS (SELECT 1 FROM {queue} AS q WHERE q.name = :queue AND q.paused)
			),
			levels (priority, depth) AS (
			    (SELECT priority, 0 FROM {job}
			     WHERE state = 'available' AND queue = (SELECT queue FROM args)
			     ORDER BY priority DESC
			     LIMIT 1)
			    UNION ALL
			    SELECT (SELECT j.priority FROM {job} AS j
			            WHERE j.state = 'available' AND j.queue = (SELECT queue FROM args) AND j.priority < l.priority
			            ORDER BY j.priority DESC
			            LIMIT 1), l.depth + 1
			    FROM levels AS l
			    WHERE l.priority IS NOT NULL
			),
			by_priority AS (
			    SELECT id, priority, run_at FROM {job}
			    WHERE state = 'available' AND queue = (SELECT queue FROM args) AND run_at <= now()
			      AND kind = ANY(CAST((SELECT kinds FROM args) AS text[]))
			    ORDER BY priority DESC, run_at, id
			    LIMIT :limit
			    FOR UPDATE SKIP LOCKED
			),
			by_age AS (
			    SELECT aged.id, aged.priority, aged.run_at
			    FROM levels AS l CROSS JOIN LATERAL (
			        SELECT id, priority, run_at FROM {job}
			        WHERE state = 'available' AND queue = (SELECT queue FROM args) AND priority = l.priority
			          AND run_at <= now() - :agingMillis * interval '1 millisecond'
			          AND kind = ANY(CAST((SELECT kinds FROM args) AS text[]))
			        ORDER BY run_at, id
			        LIMIT :limit
			        FOR UPDATE SKIP LOCKED
			    ) AS aged
			    -- the top priority's oldest jobs lead the first lane already
			    WHERE l.priority IS NOT NULL AND l.depth > 0
			),
			picked AS (
			    SELECT id FROM (SELECT * FROM by_priority UNION SELECT * FROM by_age) AS candidate
			    ORDER BY {agedOrder}
			    LIMIT :limit
			),
			claimed AS (
			    UPDATE {job} AS j
			    SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), lease_owner = :owner,
			        lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
			    WHERE j.id = ANY(ARRAY(SELECT id FROM picked))
			    RETURNING j.id, j.queue, j.kind, CAST(j.payload AS text) AS payload, j.attempt, j.max_attempts,
			              j.run_at, j.attempted_at, j.priority
			)
			SELECT id, queue, kind, payload, attempt, max_attempts, run_at, attempted_at
			FROM claimed
			ORDER BY {agedOrder}
			""".replace("{agedOrder}", AGED_ORDER);

	// Row locks are taken in id order, as by every multi-row write of a worker, so that two of
	// them never deadlock.
	static final String RENEW_LEASES_IF_HELD = """
			WITH held AS (
			    SELECT id FROM {job}
			    WHERE id = ANY(CAST(:ids AS bigint[])) AND state = 'running' AND lease_owner = :owner
			      AND lease_expires_at > now()
			    ORDER BY id
			    FOR UPDATE
			)
			UPDATE {job} AS j
			SET lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
			WHERE j.id = ANY(ARRAY(SELECT id FROM held))
			RETURNING j.id, j.attempt, j.cancel_requested_at IS NOT NULL AS cancel_requested
			""";

	// Completes jobs, each only while the caller holds its unexpired lease for the given attempt; a
	// job whose cancel was requested while it ran ends cancelled. Returns the jobs written. Each
	// row's attempt is looked up in a JSON object (id -> attempt) parsed once, as an uncorrelated
	// subquery: joined with an unnest() of the pairs instead, the planner nests a loop over the whole
	// batch inside a loop over the running jobs, which costs the square of the batch; joined as a
	// one-row CTE, the row lock copies the whole object into every locked row, which costs the
	// square of the batch in memory.
	static final String COMPLETE_IF_LEASED = """
			WITH done AS (
			    SELECT j.id
			    FROM {job} AS j
			    WHERE j.id = ANY(CAST(:ids AS bigint[]))
			      AND j.attempt = CAST((SELECT CAST(:attempts AS jsonb)) ->> CAST(j.id AS text) AS integer)
			      AND j.state = 'running' AND j.lease_owner = :owner AND j.lease_expires_at > now()
			    ORDER BY j.id
			    FOR UPDATE OF j
			)
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE 'completed' END,
			    finalized_at = now(), lease_owner = NULL, lease_expires_at = NULL
			WHERE j.id = ANY(ARRAY(SELECT id FROM done))
			RETURNING j.id, j.state
			""";

	// Records a failed attempt only while the caller holds its unexpired lease for this attempt:
	// cancelled when a cancel was requested, dead when permanent or out of attempts, otherwise
	// available again after the backoff, counted from the database clock.
	private static final String FAIL_IF_LEASED = """
			UPDATE {job}
			SET state = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'
			                 WHEN :permanent OR attempt >= max_attempts THEN 'dead'
			                 ELSE 'available' END,
			    run_at = CASE WHEN cancel_requested_at IS NULL AND NOT :permanent AND attempt < max_attempts
			                  THEN now() + :retryDelayMillis * interval '1 millisecond'
			                  ELSE run_at END,
			    finalized_at = CASE WHEN cancel_requested_at IS NOT NULL OR :permanent OR attempt >= max_attempts
			                        THEN now() END,
			    lease_owner = NULL, lease_expires_at = NULL,
			    errors = errors || jsonb_build_array(jsonb_build_object(
			        'attempt', attempt, 'at', {utcNow}, 'message', CAST(:message AS text),
			        'stack', CAST(:stack AS text)))
			WHERE id = :id AND attempt = :attempt AND state = 'running' AND lease_owner = :owner
			  AND lease_expires_at > now()
			RETURNING state
			""";

	// Gives running jobs back at shutdown so another worker can claim them at once. The interrupted
	// attempt is not counted: the job did not fail, its worker stopped.
	private static final String RELEASE_IF_LEASED = """
			UPDATE {job}
			SET state = 'available', attempt = attempt - 1, run_at = now(), lease_owner = NULL,
			    lease_expires_at = NULL
			WHERE id IN (:ids) AND state = 'running' AND lease_owner = :owner
			RETURNING id
			""";

	// Reclaims jobs whose lease expired, in one batch; SKIP LOCKED lets every node's reaper run. The
	// lost attempt counts as a failure: dead when it was the last. run_at is kept, so a rescued job
	// takes its old place in line rather than waiting behind everything enqueued while it was lost.
	static final String RESCUE_EXPIRED = """
			WITH expired AS (
			    SELECT id FROM {job}
			    WHERE state = 'running' AND lease_expires_at < now()
			    ORDER BY lease_expires_at
			    LIMIT :limit
			    FOR UPDATE SKIP LOCKED
			)
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
			                 WHEN j.attempt >= j.max_attempts THEN 'dead'
			                 ELSE 'available' END,
			    finalized_at = CASE WHEN j.cancel_requested_at IS NOT NULL OR j.attempt >= j.max_attempts
			                        THEN now() END,
			    errors = j.errors || jsonb_build_array(jsonb_build_object(
			        'attempt', j.attempt, 'at', {utcNow},
			        'message', 'lease expired: worker ' || j.lease_owner || ' stopped renewing it', 'stack', '')),
			    lease_owner = NULL, lease_expires_at = NULL
			WHERE j.id = ANY(ARRAY(SELECT id FROM expired))
			RETURNING j.id, j.state
			""";

	// Deletes one batch of finished jobs of one state past its retention.
	static final String PRUNE_FINISHED = """
			DELETE FROM {job}
			WHERE id IN (
			    SELECT id FROM {job}
			    WHERE state = :state AND finalized_at IS NOT NULL
			      AND finalized_at < now() - :retentionMillis * interval '1 millisecond'
			    LIMIT :limit
			    FOR UPDATE SKIP LOCKED
			)
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

	// Dead jobs, newest first, optionally of one kind, after a cursor.
	private static final String SELECT_DEAD = """
			SELECT id FROM {job}
			WHERE state = 'dead' AND (CAST(:kind AS text) IS NULL OR kind = :kind) AND id < :before
			ORDER BY state, finalized_at DESC, id DESC
			LIMIT :limit
			""";

	// A periodic job's state: created at the database's now() the first time any node sees the job,
	// so a new periodic job never catches up on ticks from before it existed.
	private static final String INSERT_PERIODIC_IF_ABSENT = """
			INSERT INTO {periodic} (name, last_tick) VALUES (:name, now()) ON CONFLICT (name) DO NOTHING
			""";

	// Locks a periodic job's row for the rest of the transaction: one node at a time enqueues ticks.
	private static final String LOCK_PERIODIC = """
			SELECT last_tick, now() AS db_now FROM {periodic} WHERE name = :name FOR UPDATE
			""";

	private static final String UPDATE_PERIODIC = """
			UPDATE {periodic} SET last_tick = :lastTick, updated_at = now() WHERE name = :name
			""";

	// Pauses or resumes a queue for every node; the claim reads it.
	private static final String UPSERT_QUEUE_PAUSED = """
			INSERT INTO {queue} (name, paused) VALUES (:queue, :paused)
			ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()
			""";

	private static final String SELECT_PAUSED_QUEUES = """
			SELECT name FROM {queue} WHERE paused ORDER BY name
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

	private static final String SELECT_JOB = """
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
			                   'startedAt', {utc(s.started_at)}, 'completedAt', {utc(s.completed_at)})
			                   ORDER BY s.started_at, s.key), '[]') AS text)
			        FROM {sideEffect} AS s WHERE s.job_id = j.id) AS side_effects
			FROM {job} AS j WHERE id = :id
			""";

	private static final String UTC_NOW = utc("now()");

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final String schema;

	private final String[] insert = new String[8];

	private final String insertAll;

	private final String insertAllKeyed;

	private final String insertAllUniform;

	private final String selectIdByKey;

	private final String countBacklogUpTo;

	private final String claimAvailable;

	private final Map<ClaimShape, String> claimAvailableByShape = new java.util.concurrent.ConcurrentHashMap<>();

	private final String renewLeasesIfHeld;

	private final String completeIfLeased;

	private final String failIfLeased;

	private final String releaseIfLeased;

	private final String rescueExpired;

	private final String pruneFinished;

	private final String cancelIfUnfinished;

	private final String retryIfFinishedUnsuccessfully;

	private final String selectJob;

	private final String channel;

	private final String upsertQueuePaused;

	private final String retryDeadOfKind;

	private final String deleteIfDead;

	private final String selectDead;

	private final String selectPausedQueues;

	private final String countByQueueAndState;

	public JobStore(DataSource dataSource, String schema, JsonMapper json) {
		this.jdbc = JdbcClient.create(dataSource);
		this.json = json;
		this.schema = SqlIdentifier.requireValid("schema", schema);
		for (int variant = 0; variant < 8; variant++) {
			this.insert[variant] = sql(insertSql((variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0));
		}
		this.insertAll = sql(INSERT_ALL.replace("{onConflict}", ""));
		this.insertAllKeyed = sql(INSERT_ALL.replace("{onConflict}", ON_KEY_CONFLICT));
		this.insertAllUniform = sql(INSERT_ALL_UNIFORM);
		this.selectIdByKey = sql(SELECT_ID_BY_KEY);
		this.countBacklogUpTo = sql(COUNT_BACKLOG_UP_TO);
		this.claimAvailable = sql(CLAIM_AVAILABLE);
		this.renewLeasesIfHeld = sql(RENEW_LEASES_IF_HELD);
		this.completeIfLeased = sql(COMPLETE_IF_LEASED);
		this.failIfLeased = sql(FAIL_IF_LEASED);
		this.releaseIfLeased = sql(RELEASE_IF_LEASED);
		this.rescueExpired = sql(RESCUE_EXPIRED);
		this.pruneFinished = sql(PRUNE_FINISHED);
		this.cancelIfUnfinished = sql(CANCEL_IF_UNFINISHED);
		this.retryIfFinishedUnsuccessfully = sql(RETRY_IF_FINISHED_UNSUCCESSFULLY);
		this.selectJob = sql(SELECT_JOB);
		this.channel = channelFor(this.schema);
		this.upsertQueuePaused = sql(UPSERT_QUEUE_PAUSED);
		this.retryDeadOfKind = sql(RETRY_DEAD_OF_KIND);
		this.deleteIfDead = sql(DELETE_IF_DEAD);
		this.selectDead = sql(SELECT_DEAD);
		this.selectPausedQueues = sql(SELECT_PAUSED_QUEUES);
		this.countByQueueAndState = sql(COUNT_BY_QUEUE_AND_STATE);
	}

	/** @return the template with this store's table names in place */
	String sql(String template) {
		return template.replace("{job}", this.schema + ".pgqueue_job")
			.replace("{sideEffect}", this.schema + ".pgqueue_side_effect")
			.replace("{queue}", this.schema + ".pgqueue_queue")
			.replace("{periodic}", this.schema + ".pgqueue_periodic")
			.replace("{utcNow}", UTC_NOW)
			.replace("{utc(s.started_at)}", utc("s.started_at"))
			.replace("{utc(s.completed_at)}", utc("s.completed_at"));
	}

	private static String insertSql(boolean keyed, boolean scheduled, boolean wakeUp) {
		String insert = INSERT.replace("{runAt}", scheduled ? SCHEDULED_RUN_AT.strip() : "now()")
			.replace("{onConflict}", keyed ? ON_KEY_CONFLICT : "")
			.strip();
		return wakeUp ? WITH_WAKE_UP.formatted(insert) : insert;
	}

	/** @return SQL rendering a timestamptz as ISO-8601 in UTC, whatever the session's time zone */
	static String utc(String timestamp) {
		return "to_char(" + timestamp + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
	}

	/**
	 * @param schema a schema
	 * @return the LISTEN/NOTIFY channel of the schema's queues (at most 63 characters)
	 */
	public static String channelFor(String schema) {
		String channel = "pgqueue_" + schema;
		return (channel.length() <= 63) ? channel : channel.substring(0, 63);
	}

	/** @return this store's LISTEN/NOTIFY channel; notifications carry the queue name */
	public String channel() {
		return this.channel;
	}

	/** Wakes the listeners of a queue now (or at commit, inside a transaction). */
	public void notifyQueue(String queue) {
		this.jdbc.sql(NOTIFY).param("channel", this.channel).param("queue", queue).query(String.class).list();
	}

	/** @return the schema the tables live in */
	public String schema() {
		return this.schema;
	}

	/** @return the job table's schema-qualified name */
	public String jobTable() {
		return this.schema + ".pgqueue_job";
	}

	/**
	 * Inserts one job unless its idempotency key is taken.
	 * @param notify whether to wake the queue's listeners at commit if the job is runnable now
	 * @return the new job's id, or empty when the key is taken
	 */
	public Optional<Long> insertUnlessKeyTaken(NewJob job, boolean notify) {
		boolean keyed = job.idempotencyKey() != null;
		boolean scheduled = job.runAt() != null || job.delayMillis() != 0;
		StatementSpec statement = this.jdbc.sql(this.insert[(keyed ? 1 : 0) + (scheduled ? 2 : 0) + (notify ? 4 : 0)])
			.param("queue", job.queue())
			.param("kind", job.kind())
			.param("payload", job.payload())
			.param("priority", job.priority())
			.param("maxAttempts", job.maxAttempts())
			// typed, so that a null never makes the driver ask the server for the parameter's type
			.param("idempotencyKey", job.idempotencyKey(), java.sql.Types.VARCHAR);
		if (scheduled) {
			statement = statement
				.param("runAt", (job.runAt() != null) ? OffsetDateTime.ofInstant(job.runAt(), java.time.ZoneOffset.UTC)
						: null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
				.param("delayMillis", job.delayMillis());
		}
		if (notify) {
			statement = statement.param("channel", this.channel);
		}
		return statement.query((rs, row) -> rs.getLong("id")).optional();
	}

	/**
	 * Inserts many jobs in one statement, skipping those whose idempotency key is taken (also by an
	 * earlier job of the same batch).
	 * @return the inserted ids, in request order, each with its key or {@code null}
	 */
	public List<InsertedJob> insertAllUnlessKeyTaken(List<NewJob> jobs, boolean notify) {
		if (!jobs.isEmpty() && isUniform(jobs)) {
			return insertAllUniform(jobs, notify);
		}
		int n = jobs.size();
		String[] queues = new String[n];
		String[] kinds = new String[n];
		String[] payloads = new String[n];
		String[] priorities = new String[n];
		String[] maxAttempts = new String[n];
		String[] runAts = new String[n];
		String[] delays = new String[n];
		String[] keys = new String[n];
		boolean keyed = false;
		for (int i = 0; i < n; i++) {
			NewJob job = jobs.get(i);
			queues[i] = job.queue();
			kinds[i] = job.kind();
			payloads[i] = job.payload();
			priorities[i] = Integer.toString(job.priority());
			maxAttempts[i] = Integer.toString(job.maxAttempts());
			runAts[i] = (job.runAt() != null) ? job.runAt().toString() : null;
			delays[i] = Long.toString(job.delayMillis());
			keys[i] = job.idempotencyKey();
			keyed |= keys[i] != null;
		}
		return this.jdbc.sql(keyed ? this.insertAllKeyed : this.insertAll)
			.param("notify", notify)
			.param("channel", this.channel)
			.param("queues", queues)
			.param("kinds", kinds)
			.param("payloads", payloads)
			.param("priorities", priorities)
			.param("maxAttempts", maxAttempts)
			.param("runAts", runAts)
			.param("delays", delays)
			.param("keys", keys)
			.query((rs, row) -> new InsertedJob(rs.getLong("id"), rs.getString("idempotency_key")))
			.list();
	}

	// One queue, priority and max attempts, runnable now, without keys: the batch INSERT_ALL_UNIFORM takes.
	private static boolean isUniform(List<NewJob> jobs) {
		NewJob first = jobs.get(0);
		for (NewJob job : jobs) {
			if (job.idempotencyKey() != null || job.runAt() != null || job.delayMillis() != 0
					|| !job.queue().equals(first.queue()) || job.priority() != first.priority()
					|| job.maxAttempts() != first.maxAttempts()) {
				return false;
			}
		}
		return true;
	}

	private List<InsertedJob> insertAllUniform(List<NewJob> jobs, boolean notify) {
		String[] kinds = new String[jobs.size()];
		String[] payloads = new String[jobs.size()];
		for (int i = 0; i < jobs.size(); i++) {
			kinds[i] = jobs.get(i).kind();
			payloads[i] = jobs.get(i).payload();
		}
		NewJob first = jobs.get(0);
		return this.jdbc.sql(this.insertAllUniform)
			.param("queue", first.queue())
			.param("priority", first.priority())
			.param("maxAttempts", first.maxAttempts())
			.param("kinds", kinds)
			.param("payloads", payloads)
			.param("channel", this.channel)
			.param("notify", notify)
			.query((rs, row) -> new InsertedJob(rs.getLong("id"), null))
			.list();
	}

	/**
	 * @param keys idempotency keys
	 * @return the ids of the jobs holding them, by key
	 */
	public Map<String, Long> findIdsByKey(Collection<String> keys) {
		Map<String, Long> ids = new HashMap<>();
		if (keys.isEmpty()) {
			return ids;
		}
		this.jdbc.sql(this.selectIdByKey)
			.param("keys", keys)
			.query((ResultSet rs) -> {
				ids.put(rs.getString("idempotency_key"), rs.getLong("id"));
			});
		return ids;
	}

	/**
	 * @return the number of available jobs on the queue, counting no further than {@code limit}
	 */
	public long countBacklogUpTo(String queue, long limit) {
		return this.jdbc.sql(this.countBacklogUpTo).param("queue", queue).param("limit", limit).query(Long.class).single();
	}

	/**
	 * The number of jobs a claim asks for when {@code free} slots are free: {@code free} itself up to
	 * 16, above that {@code free} rounded down to its 4 highest bits (at most a ninth less). A claim's
	 * LIMIT is written into its SQL rather than bound: bound, PostgreSQL plans the claim anew at each
	 * execution (a generic plan cannot see the LIMIT, so it never looks as cheap), and planning costs
	 * more than running a small claim. Written in, each of the few sizes settles on its generic plan
	 * after five executions.
	 * @param free free slots, at least 1
	 * @return the claim's size, between 1 and {@code free}
	 */
	public static int claimSize(int free) {
		if (free <= 16) {
			return free;
		}
		int high = Integer.highestOneBit(free);
		return free & (high | (high >> 1) | (high >> 2) | (high >> 3));
	}

	/**
	 * Claims up to {@link #claimSize(int) claimSize(limit)} runnable jobs of the given kinds on one
	 * queue for {@code owner}.
	 */
	public List<ClaimedJob> claimAvailable(String queue, Collection<String> kinds, int limit, String owner,
			long leaseMillis, long agingMillis) {
		if (kinds.isEmpty() || limit <= 0) {
			return List.of();
		}
		return this.jdbc.sql(claimSql(claimSize(limit), agingMillis))
			.param("queue", queue)
			.param("kinds", kinds.toArray(String[]::new))
			.param("owner", owner)
			.param("leaseMillis", leaseMillis)
			.query(JobStore::claimedJob)
			.list();
	}

	/** @return the claim statement for one size and aging, its queue, kinds, owner and lease still to bind */
	String claimSql(int size, long agingMillis) {
		return this.claimAvailableByShape.computeIfAbsent(new ClaimShape(size, agingMillis),
				(shape) -> this.claimAvailable.replace(":limit", Integer.toString(shape.size()))
					.replace(":agingMillis", Long.toString(shape.agingMillis())));
	}

	/** What a claim statement's text is written for. */
	private record ClaimShape(int size, long agingMillis) {
	}

	/**
	 * Renews, in one statement, those of the given leases that {@code owner} still holds.
	 * @return the leases renewed; any other lease given is lost
	 */
	public List<RenewedLease> renewLeasesIfHeld(Collection<Lease> leases, String owner, long leaseMillis) {
		if (leases.isEmpty()) {
			return List.of();
		}
		Long[] ids = leases.stream().map(Lease::jobId).sorted().toArray(Long[]::new);
		return this.jdbc.sql(this.renewLeasesIfHeld)
			.param("ids", ids)
			.param("owner", owner)
			.param("leaseMillis", leaseMillis)
			.query((rs, row) -> new RenewedLease(new Lease(rs.getLong("id"), rs.getInt("attempt")),
					rs.getBoolean("cancel_requested")))
			.list()
			.stream()
			.filter((renewed) -> leases.contains(renewed.lease()))
			.toList();
	}

	/**
	 * Completes jobs in one statement; each succeeds only while {@code owner} holds its unexpired
	 * lease. A job whose cancel was requested while it ran ends cancelled.
	 * @return the new state of each job written, by id; the others' leases were lost
	 */
	public Map<Long, JobState> completeIfLeased(List<Lease> leases, String owner) {
		if (leases.isEmpty()) {
			return Map.of();
		}
		Long[] ids = new Long[leases.size()];
		StringBuilder attempts = new StringBuilder(leases.size() * 16).append('{');
		for (int i = 0; i < leases.size(); i++) {
			ids[i] = leases.get(i).jobId();
			attempts.append((i > 0) ? ",\"" : "\"").append(ids[i]).append("\":").append(leases.get(i).attempt());
		}
		attempts.append('}');
		Map<Long, JobState> written = new HashMap<>();
		this.jdbc.sql(this.completeIfLeased)
			.param("ids", ids)
			.param("attempts", attempts.toString())
			.param("owner", owner)
			.query((ResultSet rs) -> {
				written.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
			});
		return written;
	}

	/**
	 * Records a failed attempt; succeeds only while {@code owner} holds the unexpired lease.
	 * @return the job's new state, or empty when the lease was lost
	 */
	public Optional<JobState> failIfLeased(Lease lease, String owner, FailedAttempt failure) {
		return this.jdbc.sql(this.failIfLeased)
			.param("id", lease.jobId())
			.param("attempt", lease.attempt())
			.param("owner", owner)
			.param("permanent", failure.permanent())
			.param("retryDelayMillis", failure.retryDelayMillis())
			.param("message", failure.message())
			.param("stack", failure.stackTrace())
			.query((rs, row) -> JobState.fromDbValue(rs.getString("state")))
			.optional();
	}

	/**
	 * Makes the given jobs available again if {@code owner} still holds them.
	 * @return the ids released
	 */
	public List<Long> releaseIfLeased(Collection<Long> ids, String owner) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(this.releaseIfLeased).param("ids", ids).param("owner", owner).query(Long.class).list();
	}

	/**
	 * Reclaims one batch of jobs whose lease expired.
	 * @return the state each rescued job was moved to, by id
	 */
	public Map<Long, JobState> rescueExpired(int limit) {
		Map<Long, JobState> rescued = new HashMap<>();
		this.jdbc.sql(this.rescueExpired).param("limit", limit).query((ResultSet rs) -> {
			rescued.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
		});
		return rescued;
	}

	/**
	 * Deletes one batch of jobs in a final state past their retention.
	 * @return the number deleted
	 */
	public int pruneFinished(JobState state, long retentionMillis, int limit) {
		return this.jdbc.sql(this.pruneFinished)
			.param("state", state.dbValue())
			.param("retentionMillis", retentionMillis)
			.param("limit", limit)
			.update();
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

	/**
	 * @param kind a kind, or {@code null} for all
	 * @param beforeId only jobs with a smaller id ({@link Long#MAX_VALUE} for the first page)
	 * @param limit the most to return
	 * @return dead jobs, most recently dead first
	 */
	public List<JobInfo> findDead(@Nullable String kind, long beforeId, int limit) {
		List<Long> ids = this.jdbc.sql(this.selectDead)
			.param("kind", kind, java.sql.Types.VARCHAR)
			.param("before", beforeId)
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
	 * Locks a periodic job's state until the caller's transaction ends, creating it at the database's
	 * {@code now()} if it is new.
	 * @return the last tick enqueued, and the database's {@code now()}
	 */
	public PeriodicState lockPeriodic(String name) {
		this.jdbc.sql(sql(INSERT_PERIODIC_IF_ABSENT)).param("name", name).update();
		return this.jdbc.sql(sql(LOCK_PERIODIC))
			.param("name", name)
			.query((rs, row) -> new PeriodicState(instant(rs, "last_tick"), instant(rs, "db_now")))
			.single();
	}

	/** Records the last tick enqueued for a periodic job (under the lock of {@link #lockPeriodic}). */
	public void updatePeriodic(String name, Instant lastTick) {
		this.jdbc.sql(sql(UPDATE_PERIODIC))
			.param("name", name)
			.param("lastTick", OffsetDateTime.ofInstant(lastTick, java.time.ZoneOffset.UTC))
			.update();
	}

	/**
	 * @param lastTick the last tick enqueued
	 * @param now the database's now()
	 */
	public record PeriodicState(Instant lastTick, Instant now) {
	}

	/** Pauses or resumes claiming from a queue on every node. */
	public void setQueuePaused(String queue, boolean paused) {
		this.jdbc.sql(this.upsertQueuePaused).param("queue", queue).param("paused", paused).update();
	}

	/** @return the queues paused for every node */
	public List<String> pausedQueues() {
		return this.jdbc.sql(this.selectPausedQueues).query(String.class).list();
	}

	/** @return job counts per queue and state */
	public List<QueueStateCount> countByQueueAndState() {
		return this.jdbc.sql(this.countByQueueAndState)
			.query((rs, row) -> {
				java.math.BigDecimal oldest = rs.getBigDecimal("oldest_waiting_seconds");
				return new QueueStateCount(rs.getString("queue"), JobState.fromDbValue(rs.getString("state")),
						rs.getLong("jobs"), (oldest != null)
								? java.time.Duration.ofMillis(oldest.movePointRight(3).longValue()) : null);
			})
			.list();
	}

	/** Runs a trivial query: throws when the database cannot be reached. */
	public void ping() {
		this.jdbc.sql("SELECT 1").query(Integer.class).single();
	}

	public Optional<JobInfo> find(long id) {
		return this.jdbc.sql(this.selectJob).param("id", id).query(this.jobInfoMapper()).optional();
	}

	private RowMapper<JobInfo> jobInfoMapper() {
		return (rs, row) -> new JobInfo(new JobId(rs.getLong("id")), rs.getString("queue"), rs.getString("kind"),
				rs.getString("payload"), JobState.fromDbValue(rs.getString("state")), rs.getInt("priority"),
				rs.getInt("attempt"), rs.getInt("max_attempts"), instant(rs, "run_at"), instant(rs, "created_at"),
				instant(rs, "attempted_at"), instant(rs, "finalized_at"), rs.getString("lease_owner"),
				instant(rs, "lease_expires_at"), rs.getString("idempotency_key"), rs.getBoolean("cancel_requested"),
				errors(rs.getString("errors")), sideEffects(rs.getString("side_effects")));
	}

	private List<JobError> errors(String errorsJson) {
		List<JobError> errors = new ArrayList<>();
		for (JsonNode error : this.json.readTree(errorsJson)) {
			errors.add(new JobError(error.path("attempt").asInt(), Instant.parse(error.path("at").asString()),
					error.path("message").asString(), error.path("stack").asString()));
		}
		return errors;
	}

	private List<SideEffectInfo> sideEffects(String sideEffectsJson) {
		List<SideEffectInfo> effects = new ArrayList<>();
		for (JsonNode effect : this.json.readTree(sideEffectsJson)) {
			JsonNode completedAt = effect.path("completedAt");
			effects.add(new SideEffectInfo(effect.path("key").asString(),
					SideEffectState.valueOf(effect.path("state").asString()), effect.path("attempt").asInt(),
					Instant.parse(effect.path("startedAt").asString()),
					completedAt.isNull() ? null : Instant.parse(completedAt.asString())));
		}
		return effects;
	}

	private static ClaimedJob claimedJob(ResultSet rs, int row) throws SQLException {
		return new ClaimedJob(rs.getLong("id"), rs.getString("queue"), rs.getString("kind"), rs.getString("payload"),
				rs.getInt("attempt"), rs.getInt("max_attempts"), instant(rs, "run_at"), instant(rs, "attempted_at"));
	}

	@SuppressWarnings("NullAway")
	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * How many jobs of one queue are in one state.
	 *
	 * @param queue the queue
	 * @param state the state
	 * @param jobs the number of jobs
	 * @param oldestWaiting for {@code available}, how long the longest-waiting runnable job has waited
	 */
	public record QueueStateCount(String queue, JobState state, long jobs, java.time.@Nullable Duration oldestWaiting) {
	}

	/**
	 * A row {@link #insertAllUnlessKeyTaken} inserted.
	 *
	 * @param id its id
	 * @param idempotencyKey its key, if any
	 */
	public record InsertedJob(long id, @Nullable String idempotencyKey) {
	}

}
