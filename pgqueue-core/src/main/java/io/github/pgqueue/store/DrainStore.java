package io.github.pgqueue.store;

import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The statements only the test kit's synchronous drain needs ({@code pgqueue-test}, through
 * {@link io.github.pgqueue.execute.SynchronousRunner}): which queues have due jobs, bringing
 * scheduled jobs forward, and clearing the schema between tests. Never used by a worker. Internal.
 */
public final class DrainStore {

	// The queues holding due jobs of the given kinds (all queues when :queues is empty), so that a
	// drain knows which queues to claim from.
	static final String QUEUES_WITH_DUE_JOBS = """
			SELECT DISTINCT queue FROM {job}
			WHERE state = 'available' AND run_at <= now() AND kind = ANY(CAST(:kinds AS text[]))
			  AND (cardinality(CAST(:queues AS text[])) = 0 OR queue = ANY(CAST(:queues AS text[])))
			ORDER BY queue
			""";

	// Makes every job scheduled for later due now (in the given queues, or all when :queues is empty);
	// only waiting jobs move, never a running or finished one.
	static final String SCHEDULED_JOBS_MADE_DUE = """
			UPDATE {job} SET run_at = now()
			WHERE state = 'available' AND run_at > now()
			  AND (cardinality(CAST(:queues AS text[])) = 0 OR queue = ANY(CAST(:queues AS text[])))
			""";

	// The schema's jobs (their side effects go with them, ON DELETE CASCADE) and its queue pauses.
	static final String DELETE_ALL_JOBS = "DELETE FROM {job}";

	static final String DELETE_ALL_SIDE_EFFECTS = "DELETE FROM {sideEffect}";

	static final String DELETE_ALL_QUEUE_STATES = "DELETE FROM {queue}";

	private final JdbcClient jdbc;

	private final Tables tables;

	DrainStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.tables = tables;
	}

	/** @return the queues, by name, holding due jobs of these kinds (in these queues, or any when empty) */
	public List<String> queuesWithDueJobs(Collection<String> kinds, Collection<String> queues) {
		if (kinds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(this.tables.sql(QUEUES_WITH_DUE_JOBS))
			.param("kinds", kinds.toArray(String[]::new))
			.param("queues", queues.toArray(String[]::new))
			.query(String.class)
			.list();
	}

	/** @return how many waiting jobs scheduled for later were made due now */
	public int scheduledJobsMadeDue(Collection<String> queues) {
		return this.jdbc.sql(this.tables.sql(SCHEDULED_JOBS_MADE_DUE))
			.param("queues", queues.toArray(String[]::new))
			.update();
	}

	/** Deletes every job, side effect and queue pause of this schema. */
	public void deleteAll() {
		this.jdbc.sql(this.tables.sql(DELETE_ALL_SIDE_EFFECTS)).update();
		this.jdbc.sql(this.tables.sql(DELETE_ALL_JOBS)).update();
		this.jdbc.sql(this.tables.sql(DELETE_ALL_QUEUE_STATES)).update();
	}

}
