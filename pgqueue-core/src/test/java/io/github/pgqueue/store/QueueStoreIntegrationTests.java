package io.github.pgqueue.store;

import java.util.List;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queues nobody serves are found through the claim index, on a table where counting the jobs
 * would be the expensive mistake: 50,000 jobs over a few queues, most finished.
 */
class QueueStoreIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static JobStore store;

	@BeforeAll
	static void fill() {
		db.jdbc().sql("""
				INSERT INTO %s (queue, kind, state, max_attempts, finalized_at)
				SELECT CASE i %% 4 WHEN 0 THEN 'default' WHEN 1 THEN 'emails' WHEN 2 THEN 'orphans'
				                   ELSE 'finished-only' END, 'k',
				       CASE WHEN i %% 4 <> 3 AND i %% 5 = 0 THEN 'available' ELSE 'completed' END, 3,
				       CASE WHEN i %% 4 <> 3 AND i %% 5 = 0 THEN NULL ELSE now() END
				FROM generate_series(1, 50000) AS i
				""".formatted(db.jobTable())).update();
		db.jdbc().sql("ANALYZE " + db.jobTable()).update();
		store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	@Test
	void findsTheQueuesWithWaitingJobsThatAreNotServed() {
		assertThat(store.queues().findUnservedWaitingQueues(List.of("default", "emails"), 100))
			.containsExactly("orphans");
		assertThat(store.queues().findUnservedWaitingQueues(List.of("default"), 100)).containsExactly("emails", "orphans");
		assertThat(store.queues().findUnservedWaitingQueues(List.of(), 1)).containsExactly("default");
		assertThat(store.queues().findUnservedWaitingQueues(List.of("default", "emails", "orphans"), 100)).isEmpty();
	}

	@Test
	void walksTheClaimIndexAndNeverTheTable() {
		String plan = String.join("\n", db.jdbc()
			.sql("EXPLAIN " + store.queues().unservedWaitingQueuesSql())
			.param("served", new String[] { "default" })
			.param("maxQueues", 100)
			.query(String.class)
			.list());
		assertThat(plan).contains("pgqueue_job_claim_idx").doesNotContain("Seq Scan").doesNotContain("Aggregate");
	}

}
