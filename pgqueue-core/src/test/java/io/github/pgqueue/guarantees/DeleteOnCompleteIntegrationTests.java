package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.RetentionSettings;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.Lease;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code retention.completed: 0}, a completion deletes its job's row in its own statement
 * (with its {@code runOnce} steps), instead of leaving a completed row for the pruner; a job whose
 * cancel was requested while it ran still ends cancelled, and a completion retried after a lost
 * reply finds its row gone and counts it completed. The pruner's pass is an hour away here, so only
 * the completion can delete a row.
 */
class DeleteOnCompleteIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final AtomicInteger completed = new AtomicInteger();

	private PgQueue node;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@AfterEach
	void stop() {
		if (this.node != null) {
			this.node.stop();
		}
	}

	@Test
	void aCompletedJobIsDeletedWithItsStepsByItsCompletion() {
		this.node = node((payload, ctx) -> ctx.runOnce("effect", () -> "done"));
		JobId id = this.node.jobQueue().enqueue("work", "x");
		this.node.start();

		await().atMost(Duration.ofSeconds(30)).until(() -> this.completed.get() == 1);

		assertThat(rows("SELECT count(*) FROM " + db.jobTable() + " WHERE id = " + id.value())).isZero();
		assertThat(rows("SELECT count(*) FROM " + db.schema() + ".pgqueue_side_effect" + " WHERE job_id = " + id.value())).isZero();
		assertThat(this.node.jobQueue().find(id)).isEmpty();
	}

	@Test
	void aJobCancelledWhileItRanEndsCancelledAndIsKept() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch mayReturn = new CountDownLatch(1);
		this.node = node((payload, ctx) -> {
			running.countDown();
			// returns normally, whatever interrupt the cancel brings
			while (!mayReturn.await(10, TimeUnit.MILLISECONDS)) {
				Thread.interrupted();
			}
		});
		JobId id = this.node.jobQueue().enqueue("work", "x");
		this.node.start();
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.node.jobQueue().cancel(id)).isTrue();
		mayReturn.countDown();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.node.jobQueue().find(id)).hasValueSatisfying((job) -> assertThat(job.state())
				.isEqualTo(JobState.CANCELLED)));
		assertThat(this.completed).hasValue(0);
	}

	@Test
	void aCompletionWhoseReplyWasLostFindsItsRowGoneAndCountsItCompleted() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) VALUES ('work', '{}', 25)").update();
		JobStore store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
		List<ClaimedJob> claimed = store.claims().claimAvailable("default", List.of("work"), 1, "w", 30_000, 60_000);
		List<Lease> leases = claimed.stream().map(ClaimedJob::lease).toList();
		store.leases().startIfLeased(leases, "w");
		Map<Long, JobState> written = store.leases().deleteCompletedIfLeased(leases, "w");
		assertThat(written).containsValue(JobState.COMPLETED).hasSize(1);

		// the retry of that completion, had its reply been lost
		assertThat(store.leases().finishedUnder(leases)).as("a completion that keeps its row").isEmpty();
		assertThat(store.leases().finishedOrGoneUnder(leases)).isEqualTo(written);
		assertThat(store.leases().deleteCompletedIfLeased(leases, "w")).isEmpty();
	}

	private PgQueue node(PgQueue.Handler<String> handler) {
		return PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.workerId("delete-on-complete")
				.reaperInterval(Duration.ofHours(1))
				.retention(new RetentionSettings(Duration.ZERO, Duration.ofDays(1), Duration.ofDays(7)))
				.build())
			.handler("work", String.class, handler)
			.listener(new JobListener() {
				@Override
				public void onCompleted(String queue, String kind, Duration execution) {
					DeleteOnCompleteIntegrationTests.this.completed.incrementAndGet();
				}
			})
			.build();
	}

	private static long rows(String sql) {
		return db.jdbc().sql(sql).query(Long.class).single();
	}

}
