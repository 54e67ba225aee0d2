package io.github.pgqueue.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot statements, exactly as {@link LeaseStore} and {@link MaintenanceStore} run them, use the indexes made for them on a
 * table where a sequential scan would be the expensive mistake: 50,000 jobs, most of them finished
 * and kept, as they are between prunes.
 */
class JobStorePlanIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	/** A batch as large as a busy worker writes: every running job of the table. */
	private static final Long[] RUNNING_IDS = LongStream.rangeClosed(1, 50000)
		.filter((i) -> i % 97 == 0 && i % 5 != 0)
		.boxed()
		.toArray(Long[]::new);

	private static JobStore store;

	@BeforeAll
	static void fill() {
		db.jdbc().sql("""
				INSERT INTO %s (queue, kind, state, priority, max_attempts, attempt, finalized_at, lease_owner,
				                lease_expires_at)
				SELECT CASE WHEN i %% 10 = 0 THEN 'other' ELSE 'default' END, 'k' || (i %% 7),
				       CASE WHEN i %% 5 = 0 THEN 'available' WHEN i %% 97 = 0 THEN 'running' ELSE 'completed' END,
				       i %% 3, 3, 1,
				       CASE WHEN i %% 5 = 0 OR i %% 97 = 0 THEN NULL ELSE now() END,
				       CASE WHEN i %% 5 <> 0 AND i %% 97 = 0 THEN 'w' END,
				       CASE WHEN i %% 5 <> 0 AND i %% 97 = 0 THEN now() + interval '1 minute' END
				FROM generate_series(1, 50000) AS i
				""".formatted(db.jobTable())).update();
		db.jdbc().sql("ANALYZE " + db.jobTable()).update();
		store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	// a claim as large as a busy worker makes, where a hash join against the whole table looks cheap
	@Test
	void theClaimFindsItsJobsThroughTheClaimIndexesAndUpdatesThemByPrimaryKey() {
		String plan = explainSql(store.claims().claimSql(1000, 60000), Map.of("queue", "default", "kinds",
				new String[] { "k1", "k2" }, "owner", "w", "leaseMillis", 30000));
		assertThat(plan).contains("pgqueue_job_claim_idx")
			.contains("pgqueue_job_pkey")
			.doesNotContain("Seq Scan on pgqueue_job");
	}

	// planned anew at each execution, a small claim would spend more time being planned than running
	@Test
	void theClaimSettlesOnAGenericPlanForEachSize() throws SQLException {
		try (Connection connection = db.dataSource().getConnection()) {
			JobStore onOneConnection = new JobStore(new SingleConnectionDataSource(connection, true), db.schema(),
					JsonMapper.builder().build());
			// the driver prepares a statement on the server at its 5th execution, and PostgreSQL weighs
			// a generic plan after 5 custom ones
			for (int i = 0; i < 12; i++) {
				// the table's available jobs are all of other kinds: nothing is claimed, the plan is the same
				assertThat(onOneConnection.claims().claimAvailable("default", List.of("none"), 3, "w", 30000, 60000)).isEmpty();
			}
			// the pooled connection may hold other classes' claims, prepared for their own schemas
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT generic_plans FROM pg_prepared_statements "
							+ "WHERE statement LIKE '%by_priority AS%' AND statement LIKE '%" + db.schema()
							+ ".pgqueue_job%' AND statement LIKE '%LIMIT 3%'")) {
				assertThat(rs.next()).as("the claim is a server-side prepared statement").isTrue();
				assertThat(rs.getLong("generic_plans")).isPositive();
			}
		}
	}

	// the plan it settles on, as the table grows: still through the claim index and the primary key
	@Test
	void theClaimsGenericPlanFindsItsJobsThroughTheClaimIndexAndUpdatesThemByPrimaryKey() throws SQLException {
		String sql = store.claims().claimSql(500, 60000)
			.replace(":queue", "$1")
			.replace(":kinds", "$2")
			.replace(":owner", "$3")
			.replace(":leaseMillis", "$4");
		List<String> plan = new ArrayList<>();
		try (Connection connection = db.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("SET plan_cache_mode = force_generic_plan");
			statement.execute("PREPARE claim_generic(text, text[], text, bigint) AS " + sql);
			try (ResultSet rs = statement
				.executeQuery("EXPLAIN EXECUTE claim_generic('default', '{k1,k2}', 'w', 30000)")) {
				while (rs.next()) {
					plan.add(rs.getString(1));
				}
			}
			finally {
				statement.execute("DEALLOCATE claim_generic");
				statement.execute("RESET plan_cache_mode");
			}
		}
		assertThat(String.join("\n", plan)).contains("pgqueue_job_claim_idx")
			.contains("pgqueue_job_pkey")
			.doesNotContain("Seq Scan on pgqueue_job");
	}

	@Test
	void claimSizesAreFewAndNeverMoreThanTheFreeSlots() {
		assertThat(IntStream.rangeClosed(1, 16).map(ClaimStore::claimSize).toArray())
			.containsExactly(IntStream.rangeClosed(1, 16).toArray());
		assertThat(IntStream.rangeClosed(1, 2048).map(ClaimStore::claimSize).distinct().count()).isLessThanOrEqualTo(16 + 7 * 8);
		for (int free = 1; free <= 5000; free++) {
			int size = ClaimStore.claimSize(free);
			assertThat(size).isLessThanOrEqualTo(free).isGreaterThan(free * 8 / 9);
		}
	}

	@Test
	void theHeartbeatRenewsByPrimaryKey() {
		String plan = explainSql(LeaseStore.sql(store.tables(), LeaseStore.RENEW_LEASES_IF_HELD),
				Map.of("ids", RUNNING_IDS, "tokens", tokens(), "owner", "w", "leaseMillis", 30000));
		assertThat(plan).contains("pgqueue_job_pkey")
			.doesNotContain("Seq Scan on pgqueue_job");
	}

	@Test
	void theCompletionFindsAndUpdatesItsJobsByPrimaryKey() {
		String plan = explainSql(LeaseStore.sql(store.tables(), LeaseStore.COMPLETE_IF_LEASED),
				Map.of("ids", RUNNING_IDS, "tokens", tokens(), "owner", "w"));
		assertThat(plan).contains("pgqueue_job_pkey")
			.doesNotContain("Seq Scan on pgqueue_job")
			// a loop over the batch inside a loop over the jobs costs the square of the batch, and so
			// does a join with the tokens, whose whole object the row lock then copies into every row
			.doesNotContain("Function Scan")
			.doesNotContain("Nested Loop");
	}

	@Test
	void theRescueUsesTheLeaseIndex() {
		String lock = explain(MaintenanceStore.LOCK_EXPIRED, Map.of("limit", 1000));
		assertThat(lock).contains("pgqueue_job_lease_idx").doesNotContain("Seq Scan on pgqueue_job");
		String rescue = explain(MaintenanceStore.RESCUE_EXPIRED, Map.of("ids", RUNNING_IDS, "decisions", "{}"));
		assertThat(rescue).doesNotContain("Seq Scan on pgqueue_job");
	}

	@Test
	void theStartFindsAndUpdatesItsJobsByPrimaryKey() {
		String plan = explainSql(LeaseStore.sql(store.tables(), LeaseStore.START_IF_LEASED),
				Map.of("ids", RUNNING_IDS, "tokens", tokens(), "owner", "w"));
		assertThat(plan).contains("pgqueue_job_pkey")
			.doesNotContain("Seq Scan on pgqueue_job")
			.doesNotContain("Nested Loop");
	}

	private static String tokens() {
		return Arrays.stream(RUNNING_IDS).map((id) -> "\"" + id + "\": 1").collect(Collectors.joining(", ", "{", "}"));
	}

	@Test
	void thePruneUsesTheFinalizedIndex() {
		String plan = explain(MaintenanceStore.PRUNE_FINISHED,
				Map.of("state", "completed", "retentionMillis", 86_400_000L, "limit", 1000));
		assertThat(plan).contains("pgqueue_job_finalized_idx").doesNotContain("Seq Scan on pgqueue_job");
	}

	private String explain(String template, Map<String, ?> params) {
		return explainSql(store.tables().sql(template), params);
	}

	private String explainSql(String sql, Map<String, ?> params) {
		List<String> lines = db.jdbc().sql("EXPLAIN " + sql).params(params).query(String.class).list();
		return String.join("\n", lines);
	}

}
