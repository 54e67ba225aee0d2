package io.github.pgqueue.store;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of queues: pausing and resuming one for every node (the claim reads the pause). Internal.
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

	private final JdbcClient jdbc;

	private final String upsertQueuePaused;

	private final String selectPausedQueues;

	QueueStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
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

}
