package io.github.pgqueue;

import java.util.List;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot statements use the indexes made for them, on a table where a sequential scan would be
 * the expensive mistake.
 */
class ClaimPlanIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@BeforeAll
	static void fill() {
		db.jdbc().sql("""
				INSERT INTO %s (queue, kind, state, priority, max_attempts, finalized_at)
				SELECT CASE WHEN i %% 10 = 0 THEN 'other' ELSE 'default' END, 'k' || (i %% 7),
				       CASE WHEN i %% 5 = 0 THEN 'available' ELSE 'completed' END, i %% 3, 3,
				       CASE WHEN i %% 5 = 0 THEN NULL ELSE now() END
				FROM generate_series(1, 50000) AS i
				""".formatted(db.jobTable())).update();
		db.jdbc().sql("ANALYZE " + db.jobTable()).update();
	}

	@Test
	void theClaimUsesTheClaimIndex() {
		String plan = explain("""
				SELECT id FROM %s
				WHERE state = 'available' AND queue = 'default' AND run_at <= now() AND kind IN ('k1', 'k2')
				ORDER BY priority DESC, run_at, id
				LIMIT 10
				FOR UPDATE SKIP LOCKED
				""".formatted(db.jobTable()));
		assertThat(plan).contains("pgqueue_job_claim_idx").doesNotContain("Seq Scan").doesNotContain("Sort");
	}

	@Test
	void theClaimsAgingLaneUsesTheWaitingIndex() {
		String plan = explain("""
				SELECT id FROM %s
				WHERE state = 'available' AND queue = 'default' AND run_at <= now() - interval '1 minute'
				  AND kind IN ('k1', 'k2')
				ORDER BY run_at, id
				LIMIT 10
				FOR UPDATE SKIP LOCKED
				""".formatted(db.jobTable()));
		assertThat(plan).contains("pgqueue_job_waiting_idx").doesNotContain("Seq Scan").doesNotContain("Sort");
	}

	@Test
	void theRescueUsesTheLeaseIndex() {
		String plan = explain("""
				SELECT id FROM %s WHERE state = 'running' AND lease_expires_at < now()
				ORDER BY lease_expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED
				""".formatted(db.jobTable()));
		assertThat(plan).contains("pgqueue_job_lease_idx").doesNotContain("Seq Scan");
	}

	@Test
	void thePruneUsesTheFinalizedIndex() {
		String plan = explain("""
				SELECT id FROM %s WHERE state = 'completed' AND finalized_at IS NOT NULL
				  AND finalized_at < now() - interval '1 day' LIMIT 1000 FOR UPDATE SKIP LOCKED
				""".formatted(db.jobTable()));
		assertThat(plan).contains("pgqueue_job_finalized_idx").doesNotContain("Seq Scan");
	}

	private String explain(String sql) {
		List<String> lines = db.jdbc().sql("EXPLAIN " + sql).query(String.class).list();
		return String.join("\n", lines);
	}

}
