package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.pgqueue.reaper.JobPruner;
import io.github.pgqueue.reaper.JobRescuer;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ReaperIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final RetentionSettings RETENTION = new RetentionSettings(Duration.ofHours(1), Duration.ofDays(1),
			Duration.ofDays(7));

	private PgQueue pgQueue;

	private static JobStore store() {
		return new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	// the maintenance a worker runs, run here on demand
	private JobRescuer rescuer() {
		return new JobRescuer(store().maintenance(),
				new io.github.pgqueue.retry.RetryPolicy(RetrySettings.defaults()), EngineSettings.MAINTENANCE_BATCH, new JobListener() {
		});
	}

	private JobPruner pruner() {
		return new JobPruner(store().maintenance(), RETENTION, EngineSettings.MAINTENANCE_BATCH);
	}

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.retention(RETENTION)
				.build())
			.build();
	}

	@Test
	void rescuesExpiredLeasesCountingTheLostAttemptOfAHandlerThatRanAndBackingOff() {
		JobId again = enqueueRunning(1, 3, "-1 second");
		JobId last = enqueueRunning(3, 3, "-1 second");
		JobId healthy = enqueueRunning(1, 3, "+1 minute");
		JobId neverStarted = enqueueClaimed(1, 1, "-1 second");
		Instant runAtBefore = find(again).runAt();
		Instant neverStartedRunAt = find(neverStarted).runAt();

		JobRescuer.Result result = rescuer().runOnce();

		assertThat(result.rescued()).isEqualTo(3);
		assertThat(result.finished()).isEqualTo(1);
		JobInfo rescued = find(again);
		assertThat(rescued.state()).isEqualTo(JobState.AVAILABLE);
		assertThat(rescued.attempt()).isEqualTo(1);
		assertThat(rescued.leaseOwner()).isNull();
		assertThat(rescued.runAt()).as("backed off like any failure").isAfter(runAtBefore);
		assertThat(rescued.errors()).singleElement().satisfies((error) -> {
			assertThat(error.attempt()).isEqualTo(1);
			assertThat(error.message())
				.isEqualTo("lease expired: worker gone-worker stopped renewing it while the handler ran");
		});
		// claimed ahead and never started: its attempt and its place in line are kept, at maxAttempts(1) too
		JobInfo unstarted = find(neverStarted);
		assertThat(unstarted.state()).isEqualTo(JobState.AVAILABLE);
		assertThat(unstarted.attempt()).isEqualTo(1);
		assertThat(unstarted.errors()).isEmpty();
		assertThat(unstarted.runAt()).isEqualTo(neverStartedRunAt);
		assertThat(find(last).state()).isEqualTo(JobState.DEAD);
		assertThat(find(last).finalizedAt()).isNotNull();
		assertThat(find(healthy).state()).isEqualTo(JobState.RUNNING);
		assertThat(rescuer().runOnce().rescued()).isZero();
	}

	@Test
	void rescuesMoreThanOneBatch() {
		db.jdbc().sql("""
				INSERT INTO %s (kind, state, attempt, max_attempts, lease_owner, lease_expires_at)
				SELECT 'k', 'running', 1, 5, 'gone', now() - interval '1 second' FROM generate_series(1, 2500)
				""".formatted(db.jobTable())).update();
		assertThat(rescuer().runOnce().rescued()).isEqualTo(2500);
		assertThat(db.countJobs("available")).isEqualTo(2500);
	}

	@Test
	void prunesFinishedJobsPastTheirStatesRetentionInBatches() {
		insertFinished("completed", "2 hours", 2500);
		insertFinished("completed", "10 minutes", 3);
		insertFinished("cancelled", "2 days", 2);
		insertFinished("cancelled", "2 hours", 4);
		insertFinished("dead", "8 days", 5);
		insertFinished("dead", "2 days", 6);
		JobId available = this.pgQueue.jobQueue().enqueue("k", "x");
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET created_at = now() - interval '30 days' WHERE id = :id")
			.param("id", available.value())
			.update();

		assertThat(pruner().runOnce()).isEqualTo(2500 + 2 + 5);

		assertThat(db.countJobs("completed")).isEqualTo(3);
		assertThat(db.countJobs("cancelled")).isEqualTo(4);
		assertThat(db.countJobs("dead")).isEqualTo(6);
		assertThat(find(available).state()).as("unfinished jobs are never pruned").isEqualTo(JobState.AVAILABLE);
	}

	private void insertFinished(String state, String age, int count) {
		db.jdbc().sql("""
				INSERT INTO %s (kind, state, attempt, max_attempts, finalized_at)
				SELECT 'k', :state, 1, 1, now() - CAST(:age AS interval) FROM generate_series(1, :count)
				""".formatted(db.jobTable())).param("state", state).param("age", age).param("count", count).update();
	}

	/** A job whose handler started under a lease that expires in the given interval. */
	private JobId enqueueRunning(int attempt, int maxAttempts, String expiresIn) {
		return insertLeased(attempt, maxAttempts, expiresIn, "now()");
	}

	/** A job claimed under a lease that expires in the given interval, whose handler never started. */
	private JobId enqueueClaimed(int attempt, int maxAttempts, String expiresIn) {
		return insertLeased(attempt, maxAttempts, expiresIn, "NULL");
	}

	private JobId insertLeased(int attempt, int maxAttempts, String expiresIn, String startedAt) {
		Long id = db.jdbc().sql("""
				INSERT INTO %s (kind, state, attempt, max_attempts, lease_owner, lease_expires_at, started_at)
				VALUES ('k', 'running', :attempt, :maxAttempts, 'gone-worker', now() + CAST(:expiresIn AS interval), %s)
				RETURNING id
				""".formatted(db.jobTable(), startedAt))
			.param("attempt", attempt)
			.param("maxAttempts", maxAttempts)
			.param("expiresIn", expiresIn)
			.query(Long.class)
			.single();
		return JobId.of(id);
	}

	private JobInfo find(JobId id) {
		return this.pgQueue.jobQueue().find(id).orElseThrow();
	}


	@SuppressWarnings("unused")
	private static final List<String> STATES = List.of("available", "running", "completed", "dead", "cancelled");

}
