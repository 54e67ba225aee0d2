package io.github.pgqueue.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A worker's small lease writes (a start or a completion of a few jobs, as a drain writes them) look
 * their jobs up by primary key, even where the statistics were taken while no job ran and many run
 * now: a worker claiming ahead holds hundreds of leases, and a plan that reads the lease index
 * (every lease of every worker, filtered by id) pays for all of them at every write.
 */
class LeaseWritePlanIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final int LEASED = 528;

	private static JobStore store;

	private static Long[] batch;

	@BeforeAll
	static void fill() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) SELECT 'k', '{}', 25"
				+ " FROM generate_series(1, 20000)").update();
		// the statistics see no running job
		db.jdbc().sql("ANALYZE " + db.jobTable()).update();
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'running', lease_token = lease_token + 1,"
				+ " lease_owner = 'w', lease_expires_at = now() + interval '1 minute'"
				+ " WHERE id IN (SELECT id FROM " + db.jobTable() + " ORDER BY id LIMIT " + LEASED + ")").update();
		List<Long> running = db.jdbc().sql("SELECT id FROM " + db.jobTable() + " WHERE state = 'running' ORDER BY id LIMIT 11")
			.query(Long.class)
			.list();
		batch = running.toArray(Long[]::new);
		store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	@Test
	void aSmallStartLooksItsJobsUpByPrimaryKey() {
		assertByPrimaryKey(explain(LeaseStore.START_IF_LEASED, Map.of("ids", batch, "tokens", tokens(), "owner", "w")));
	}

	@Test
	void aSmallCompletionLooksItsJobsUpByPrimaryKey() {
		assertByPrimaryKey(explain(LeaseStore.COMPLETE_IF_LEASED, Map.of("ids", batch, "tokens", tokens(), "owner", "w")));
	}

	@Test
	void aSmallFailureLooksItsJobsUpByPrimaryKey() {
		assertByPrimaryKey(explain(LeaseStore.FAIL_IF_LEASED, Map.of("ids", batch, "tokens", tokens(), "owner", "w",
				"next", "available", "retryDelayMillis", 1000, "message", "m", "stack", "s")));
	}

	@Test
	void aRenewalAndARecheckLookTheirJobsUpByPrimaryKey() {
		assertByPrimaryKey(explain(LeaseStore.RENEW_LEASES_IF_HELD,
				Map.of("ids", batch, "tokens", tokens(), "owner", "w", "leaseMillis", 30000)));
		assertByPrimaryKey(explain(LeaseStore.LEASES_HELD, Map.of("ids", batch, "tokens", tokens(), "owner", "w")));
		assertByPrimaryKey(explain(LeaseStore.STARTED_UNDER, Map.of("ids", batch, "tokens", tokens(), "owner", "w")));
	}

	/**
	 * The guard says "running" by its owner alone: the table's check makes a lease owner and the
	 * running state go together, so no job of any other state can pass it.
	 */
	@Test
	void aLeaseOwnerGoesOnlyWithTheRunningState() {
		Long available = db.jdbc().sql("SELECT id FROM " + db.jobTable() + " WHERE state = 'available' LIMIT 1")
			.query(Long.class)
			.single();
		Long running = batch[0];
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> db.jdbc().sql("UPDATE " + db.jobTable() + " SET lease_owner = 'w',"
					+ " lease_expires_at = now() + interval '1 minute' WHERE id = :id").param("id", available).update())
			.withMessageContaining("pgqueue_job_lease_check");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'available' WHERE id = :id")
				.param("id", running)
				.update())
			.withMessageContaining("pgqueue_job_lease_check");
	}

	private static void assertByPrimaryKey(String plan) {
		assertThat(plan).contains("pgqueue_job_pkey").doesNotContain("pgqueue_job_lease_idx");
	}

	private static String tokens() {
		return Arrays.stream(batch).map((id) -> "\"" + id + "\": 1").collect(Collectors.joining(", ", "{", "}"));
	}

	private static String explain(String template, Map<String, ?> params) {
		List<String> lines = db.jdbc()
			.sql("EXPLAIN " + LeaseStore.sql(store.tables(), template))
			.params(params)
			.query(String.class)
			.list();
		return String.join("\n", lines);
	}

}
