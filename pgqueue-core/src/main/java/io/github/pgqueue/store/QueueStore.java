package io.github.pgqueue.store;

import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of queues: pausing and resuming one for every node (the claim reads the pause), and the
 * queues whose jobs wait with no one to serve them. Internal.
 */
public final class QueueStore {

	// Pauses or resumes a queue for every node; the claim reads it.
	private static final String UPSERT_QUEUE_PAUSED = """
			INSERT INTO {queue} (name, paused) VALUES (:queue, :paused)
			ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()
			""";

	// The queues paused for every node, by name.
	private static final String SELECT_PAUSED_QUEUES = """
			SELECT name FROM {queue} WHERE paused ORDER BY name
			""";

	// The queues with available jobs other than those served, by a skip scan of the claim index (its
	// leading column is queue, its rows the available jobs): one index probe per distinct waiting
	// queue, at most :maxQueues of them, never a scan of the jobs.
	private static final String SELECT_UNSERVED_WAITING_QUEUES = """
			WITH RECURSIVE waiting (queue, depth) AS (
			    (SELECT queue, 1 FROM {job} WHERE state = 'available' ORDER BY queue LIMIT 1)
			    UNION ALL
			    SELECT (SELECT j.queue FROM {job} j
			            WHERE j.state = 'available' AND j.queue > w.queue ORDER BY j.queue LIMIT 1),
			           w.depth + 1
			    FROM waiting w
			    WHERE w.queue IS NOT NULL AND w.depth < :maxQueues
			)
			SELECT queue FROM waiting
			WHERE queue IS NOT NULL AND NOT (queue = ANY (CAST(:served AS text[])))
			ORDER BY queue
			""";

	private final JdbcClient jdbc;

	private final String upsertQueuePaused;

	private final String selectPausedQueues;

	private final String selectUnservedWaitingQueues;

	QueueStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.selectUnservedWaitingQueues = tables.sql(SELECT_UNSERVED_WAITING_QUEUES);
		this.upsertQueuePaused = tables.sql(UPSERT_QUEUE_PAUSED);
		this.selectPausedQueues = tables.sql(SELECT_PAUSED_QUEUES);
	}

	/** Pauses or resumes claiming from a queue on every node. */
	public void setQueuePaused(String queue, boolean paused) {
		this.jdbc.sql(this.upsertQueuePaused).param("queue", queue).param("paused", paused).update();
	}

	/** @return the queues paused for every node */
	public List<String> pausedQueues() {
		return this.jdbc.sql(this.selectPausedQueues).query(String.class).list();
	}

	/** How many distinct waiting queues {@link #findUnservedWaitingQueues(Collection)} looks at, at most. */
	public static final int MAX_WAITING_QUEUES_LOOKED_AT = 1000;

	/**
	 * @param served the queues served (by this node's configuration)
	 * @return the queues with available jobs that are not among {@code served}, by name, looking at
	 * no more than {@value #MAX_WAITING_QUEUES_LOOKED_AT} waiting queues
	 */
	public List<String> findUnservedWaitingQueues(Collection<String> served) {
		return findUnservedWaitingQueues(served, MAX_WAITING_QUEUES_LOOKED_AT);
	}

	/**
	 * @param served the queues served (by this node's configuration)
	 * @param maxQueues how many distinct waiting queues to look at, at most
	 * @return the queues with available jobs that are not among {@code served}, by name
	 */
	public List<String> findUnservedWaitingQueues(Collection<String> served, int maxQueues) {
		return this.jdbc.sql(this.selectUnservedWaitingQueues)
			.param("served", served.toArray(String[]::new))
			.param("maxQueues", maxQueues)
			.query(String.class)
			.list();
	}

	// for a test's EXPLAIN
	String unservedWaitingQueuesSql() {
		return this.selectUnservedWaitingQueues;
	}

}
