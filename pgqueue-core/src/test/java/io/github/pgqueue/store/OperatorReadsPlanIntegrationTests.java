package io.github.pgqueue.store;

import java.util.List;
import java.util.Map;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's reads a dashboard refreshes (scheduled counts, the recent dead letter, jobs finished
 * per minute, lease holders) go through an index on a table where a sequential scan would be the
 * expensive mistake: 50,000 jobs, most of them completed long ago and kept.
 */
class OperatorReadsPlanIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static Tables tables;

	@BeforeAll
	static void fill() {
		db.jdbc().sql("""
				INSERT INTO %s (queue, kind, state, max_attempts, attempt, run_at, finalized_at, lease_owner,
				                lease_expires_at)
				SELECT 'q' || (i %% 5), 'k' || (i %% 7),
				       CASE WHEN i %% 50 = 0 THEN 'available' WHEN i %% 97 = 0 THEN 'running'
				            WHEN i %% 89 = 0 THEN 'dead' ELSE 'completed' END,
				       3, 1, now() + interval '1 hour',
				       CASE WHEN i %% 50 = 0 OR i %% 97 = 0 THEN NULL ELSE now() - interval '3 days' END,
				       CASE WHEN i %% 50 <> 0 AND i %% 97 = 0 THEN 'w' END,
				       CASE WHEN i %% 50 <> 0 AND i %% 97 = 0 THEN now() + interval '1 minute' END
				FROM generate_series(1, 50000) AS i
				""".formatted(db.jobTable())).update();
		db.jdbc().sql("ANALYZE " + db.jobTable()).update();
		tables = new Tables(db.schema());
	}

	@Test
	void waitingAndScheduledCountsReadTheClaimIndex() {
		String plan = explain(MonitorStore.COUNT_WAITING_AND_SCHEDULED_UP_TO,
				Map.of("queues", new String[] { "q0", "q1" }, "cap", 10000));
		assertThat(plan).contains("pgqueue_job_claim_idx").doesNotContain("Seq Scan on pgqueue_job");
	}

	@Test
	void theRecentDeadLetterReadsTheFinalizedIndex() {
		String plan = explain(MonitorStore.COUNT_RECENT_DEAD, Map.of("cap", 10000));
		assertThat(plan).contains("pgqueue_job_finalized_idx").doesNotContain("Seq Scan on pgqueue_job");
	}

	@Test
	void finishedPerMinuteReadsTheFinalizedIndex() {
		String plan = explain(MonitorStore.COUNT_FINISHED_PER_MINUTE, Map.of("minutes", 60));
		assertThat(plan).contains("pgqueue_job_finalized_idx").doesNotContain("Seq Scan on pgqueue_job");
	}

	@Test
	void leaseHoldersReadTheLeaseIndex() {
		String plan = explain(MonitorStore.LEASE_HOLDERS, Map.of());
		assertThat(plan).contains("pgqueue_job_lease_idx").doesNotContain("Seq Scan on pgqueue_job");
	}

	private static String explain(String template, Map<String, ?> params) {
		List<String> lines = db.jdbc().sql("EXPLAIN " + tables.sql(template)).params(params).query(String.class).list();
		return String.join("\n", lines);
	}

}
