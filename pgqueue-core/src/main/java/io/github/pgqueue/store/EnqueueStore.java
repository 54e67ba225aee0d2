package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;

/**
 * The SQL that creates jobs: inserts, one or a batch, the idempotency-key lookup, the backlog count
 * and the wake-up notification. Internal.
 */
public final class EnqueueStore {

	// Inserts one job. The statement is composed for the case at hand (see InsertShape), so that the
	// common enqueue (no key, runnable now, no wake-up of its own) is as lean as a plain INSERT:
	// - with a key, ON CONFLICT on the key's unique index makes it insert nothing when the key is
	//   taken (the caller then looks the holder up); it waits for a concurrent inserter of the key;
	// - with a wake-up, pg_notify runs in the same statement and is delivered at commit.
	private static final String INSERT = """
			INSERT INTO {job} (queue, kind, payload, priority, max_attempts, idempotency_key, run_at{metadataColumn})
			VALUES (:queue, :kind, CAST(:payload AS jsonb), :priority, :maxAttempts, :idempotencyKey, {runAt}{metadataValue})
			{onConflict}
			RETURNING id, queue, run_at
			""";

	// A scheduled job's run_at: the instant asked for, or a delay counted from the database clock.
	private static final String SCHEDULED_RUN_AT = """
			COALESCE(CAST(:runAt AS timestamptz), now() + CAST(:delayMillis AS bigint) * interval '1 millisecond')""";

	// The metadata column, only in the statements of jobs that have metadata (the trace context of an
	// observed enqueue): one not observed writes the same statement as before the column existed.
	private static final String METADATA_COLUMN = ", metadata";

	// One job per idempotency key: a taken key inserts nothing.
	private static final String ON_KEY_CONFLICT = "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";

	// The wake-up of a job runnable now, in the insert's statement: delivered at its commit, or never.
	private static final String WITH_WAKE_UP = """
			WITH ins AS (%s)
			SELECT id, CASE WHEN run_at <= now() THEN CAST(pg_notify(:channel, queue) AS text) END FROM ins
			""";

	// The batch form of INSERT: one statement for the whole batch, rows in request order so that
	// ids ascend with it; with :notify, one wake-up per queue that got a job runnable now. A batch
	// without keys leaves out ON CONFLICT, whose arbiter check costs every row about 15%. A batch with
	// keys inserts its keyless rows first, in request order, then its keyed rows in key order: two
	// batches holding the same keys in different orders then take the keys' locks in one order, and
	// never deadlock.
	private static final String INSERT_ALL = """
			WITH ins AS (
			    INSERT INTO {job} (queue, kind, payload, priority, max_attempts, run_at, idempotency_key{metadataColumn})
			    SELECT r.queue, r.kind, CAST(r.payload AS jsonb), CAST(r.priority AS integer),
			           CAST(r.max_attempts AS integer),
			           COALESCE(CAST(r.run_at AS timestamptz),
			                    now() + CAST(r.delay_millis AS bigint) * interval '1 millisecond'),
			           r.idempotency_key{metadataValue}
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
			    INSERT INTO {job} (queue, kind, payload, priority, max_attempts{metadataColumn})
			    SELECT :queue, r.kind, CAST(r.payload AS jsonb), :priority, :maxAttempts{metadataValue}
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

	private final JdbcClient jdbc;

	private final String channel;

	private final Map<InsertShape, String> insertByShape;

	// each batch statement without and with the metadata column
	private final String[] insertAll;

	private final String[] insertAllKeyed;

	private final String[] insertAllUniform;

	private final String selectIdByKey;

	private final String countBacklogUpTo;

	EnqueueStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.channel = tables.channel();
		Map<InsertShape, String> insertByShape = new HashMap<>();
		for (boolean keyed : new boolean[] { false, true }) {
			for (boolean scheduled : new boolean[] { false, true }) {
				for (boolean wakeUp : new boolean[] { false, true }) {
					for (boolean withMetadata : new boolean[] { false, true }) {
						InsertShape shape = new InsertShape(keyed, scheduled, wakeUp, withMetadata);
						insertByShape.put(shape, tables.sql(shape.render()));
					}
				}
			}
		}
		this.insertByShape = Map.copyOf(insertByShape);
		this.insertAll = withAndWithoutMetadata(tables.sql(INSERT_ALL.replace("{onConflict}", "")));
		this.insertAllKeyed = withAndWithoutMetadata(tables.sql(INSERT_ALL.replace("{onConflict}", ON_KEY_CONFLICT)
			.replace("ORDER BY r.ord", "ORDER BY r.idempotency_key COLLATE \"C\" NULLS FIRST, r.ord")));
		this.insertAllUniform = withAndWithoutMetadata(tables.sql(INSERT_ALL_UNIFORM));
		this.selectIdByKey = tables.sql(SELECT_ID_BY_KEY);
		this.countBacklogUpTo = tables.sql(COUNT_BACKLOG_UP_TO);
	}

	/**
	 * What one job's INSERT is written for.
	 *
	 * @param keyed whether the job has an idempotency key
	 * @param scheduled whether it runs later than now
	 * @param wakeUp whether the insert wakes the queue's listeners itself
	 * @param withMetadata whether the job has metadata to store
	 */
	private record InsertShape(boolean keyed, boolean scheduled, boolean wakeUp, boolean withMetadata) {

		static InsertShape of(NewJob job, boolean notify) {
			return new InsertShape(job.idempotencyKey() != null, job.runAt() != null || job.delayMillis() != 0,
					notify, job.metadata() != null);
		}

		String render() {
			String insert = metadata(INSERT, this.withMetadata)
				.replace("{runAt}", this.scheduled ? SCHEDULED_RUN_AT.strip() : "now()")
				.replace("{onConflict}", this.keyed ? ON_KEY_CONFLICT : "")
				.strip();
			return this.wakeUp ? WITH_WAKE_UP.formatted(insert) : insert;
		}

	}

	// a statement with the metadata column (bound as :metadata, one value per statement), or without it
	private static String metadata(String sql, boolean withMetadata) {
		return sql.replace("{metadataColumn}", withMetadata ? METADATA_COLUMN : "")
			.replace("{metadataValue}", withMetadata ? ", CAST(:metadata AS jsonb)" : "");
	}

	private static String[] withAndWithoutMetadata(String sql) {
		return new String[] { metadata(sql, false), metadata(sql, true) };
	}

	/** @return this store's LISTEN/NOTIFY channel; notifications carry the queue name */
	public String channel() {
		return this.channel;
	}

	/** Wakes the listeners of a queue now (or at commit, inside a transaction). */
	public void notifyQueue(String queue) {
		this.jdbc.sql(NOTIFY).param("channel", this.channel).param("queue", queue).query(String.class).list();
	}

	/**
	 * Inserts one job unless its idempotency key is taken.
	 * @param notify whether to wake the queue's listeners at commit if the job is runnable now
	 * @return the new job's id, or empty when the key is taken
	 */
	public Optional<Long> insertUnlessKeyTaken(NewJob job, boolean notify) {
		InsertShape shape = InsertShape.of(job, notify);
		StatementSpec statement = this.jdbc.sql(this.insertByShape.get(shape))
			.param("queue", job.queue())
			.param("kind", job.kind())
			.param("payload", job.payload())
			.param("priority", job.priority())
			.param("maxAttempts", job.maxAttempts())
			// typed, so that a null never makes the driver ask the server for the parameter's type
			.param("idempotencyKey", job.idempotencyKey(), java.sql.Types.VARCHAR);
		if (shape.scheduled()) {
			statement = statement
				.param("runAt", timestamptz(job.runAt()), java.sql.Types.VARCHAR)
				.param("delayMillis", job.delayMillis());
		}
		if (shape.wakeUp()) {
			statement = statement.param("channel", this.channel);
		}
		if (shape.withMetadata()) {
			statement = statement.param("metadata", job.metadata());
		}
		return statement.query((rs, row) -> rs.getLong("id")).optional();
	}

	/**
	 * Inserts many jobs in one statement, skipping those whose idempotency key is taken (also by an
	 * earlier job of the same batch). The jobs of one call share their metadata, the first one's.
	 * @return the inserted ids, in request order, each with its key or {@code null}
	 */
	public List<InsertedJob> insertAllUnlessKeyTaken(List<NewJob> jobs, boolean notify) {
		String metadata = jobs.isEmpty() ? null : jobs.get(0).metadata();
		int withMetadata = (metadata != null) ? 1 : 0;
		if (!jobs.isEmpty() && isUniform(jobs)) {
			return insertAllUniform(jobs, notify, this.insertAllUniform[withMetadata], metadata);
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
			runAts[i] = timestamptz(job.runAt());
			delays[i] = Long.toString(job.delayMillis());
			keys[i] = job.idempotencyKey();
			keyed |= keys[i] != null;
		}
		StatementSpec statement = this.jdbc.sql((keyed ? this.insertAllKeyed : this.insertAll)[withMetadata]);
		if (metadata != null) {
			statement = statement.param("metadata", metadata);
		}
		return statement
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

	// A run_at as both inserts send it, ISO-8601 in UTC, cast by the statement: one encoding, so that
	// enqueue and enqueueAll store the same instant alike (EnqueueOptions bounds it to years 1 to 9999,
	// where this text is plain ISO-8601 without a sign).
	private static @Nullable String timestamptz(@Nullable Instant runAt) {
		return (runAt != null) ? runAt.toString() : null;
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

	private List<InsertedJob> insertAllUniform(List<NewJob> jobs, boolean notify, String sql,
			@Nullable String metadata) {
		String[] kinds = new String[jobs.size()];
		String[] payloads = new String[jobs.size()];
		for (int i = 0; i < jobs.size(); i++) {
			kinds[i] = jobs.get(i).kind();
			payloads[i] = jobs.get(i).payload();
		}
		NewJob first = jobs.get(0);
		StatementSpec statement = this.jdbc.sql(sql);
		if (metadata != null) {
			statement = statement.param("metadata", metadata);
		}
		return statement
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
		this.jdbc.sql(this.selectIdByKey).param("keys", keys).query((ResultSet rs) -> {
			ids.put(rs.getString("idempotency_key"), rs.getLong("id"));
		});
		return ids;
	}

	/**
	 * @return the number of available jobs on the queue, counting no further than {@code limit}
	 */
	public long countBacklogUpTo(String queue, long limit) {
		return this.jdbc.sql(this.countBacklogUpTo)
			.param("queue", queue)
			.param("limit", limit)
			.query(Long.class)
			.single();
	}

}
