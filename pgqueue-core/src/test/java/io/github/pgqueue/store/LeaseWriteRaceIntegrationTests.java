package io.github.pgqueue.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lease write is one guarded UPDATE, with no lock pass before it: when another transaction changes
 * the row meanwhile (the rescuer taking the job back, uncommitted when the write reaches the row),
 * the write waits for it and then judges the row it committed, not the one it first saw.
 */
class LeaseWriteRaceIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private JobStore store;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		this.store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	@Test
	void aCompletionWaitingForARescueIsRefusedOnceTheRescueCommits() throws Exception {
		Lease lease = claimOne();
		this.store.leases().startIfLeased(List.of(lease), "w");
		Map<Long, JobState> completed = afterRescue(lease, (leases) -> this.store.leases().completeIfLeased(leases, "w"));
		assertThat(completed).isEmpty();
		assertThat(state(lease)).isEqualTo("available");
	}

	@Test
	void aStartWaitingForARescueIsRefusedOnceTheRescueCommits() throws Exception {
		Lease lease = claimOne();
		Map<Long, StartedJob> started = afterRescue(lease, (leases) -> this.store.leases().startIfLeased(leases, "w"));
		assertThat(started).isEmpty();
		assertThat(state(lease)).isEqualTo("available");
	}

	private Lease claimOne() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) VALUES ('k', '{}', 25)").update();
		List<ClaimedJob> claimed = this.store.claims().claimAvailable("default", List.of("k"), 1, "w", 60_000, 60_000);
		assertThat(claimed).hasSize(1);
		return claimed.get(0).lease();
	}

	// runs the write while a rescue of the job's row (as the reaper writes it) holds the row, uncommitted
	private <T> T afterRescue(Lease lease, Function<List<Lease>, T> write) throws Exception {
		try (Connection rescuer = db.dataSource().getConnection()) {
			rescuer.setAutoCommit(false);
			try (PreparedStatement rescue = rescuer.prepareStatement("UPDATE " + db.jobTable()
					+ " SET state = 'available', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL"
					+ " WHERE id = ?")) {
				rescue.setLong(1, lease.jobId());
				assertThat(rescue.executeUpdate()).isOne();
			}
			CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> write.apply(List.of(lease)));
			await().atMost(Duration.ofSeconds(10)).until(() -> waitingForALock() > 0);
			assertThat(result).isNotDone();
			rescuer.commit();
			return result.get();
		}
	}

	private long waitingForALock() {
		return db.jdbc().sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
				+ " AND query LIKE '%" + db.schema() + ".pgqueue_job%'").query(Long.class).single();
	}

	private String state(Lease lease) {
		return db.jdbc().sql("SELECT state FROM " + db.jobTable() + " WHERE id = :id")
			.param("id", lease.jobId())
			.query(String.class)
			.single();
	}

}
