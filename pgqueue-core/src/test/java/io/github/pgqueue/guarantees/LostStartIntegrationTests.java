package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A start commits without waiting for the disk, so a database crash right after it may lose it: the
 * job's row is then as its claim left it (leased to the worker, its attempt uncounted) while its
 * handler runs. Nothing is lost or done twice for that: the outcome is written under the lease all
 * the same, the handler runs once, its {@code runOnce} step once. The row a crash leaves is made here
 * by hand (the start undone while the handler runs); the chaos run crashes a real server.
 */
class LostStartIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final CountDownLatch started = new CountDownLatch(1);

	private final CountDownLatch mayFinish = new CountDownLatch(1);

	private final AtomicInteger runs = new AtomicInteger();

	private final AtomicInteger effects = new AtomicInteger();

	private PgQueue node;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@AfterEach
	void stop() {
		this.mayFinish.countDown();
		if (this.node != null) {
			this.node.stop();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "completes", "fails" })
	void aStartLostWithTheDatabaseCostsNothing(String outcome) throws Exception {
		this.node = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("lost-start-" + outcome).build())
			.handler("work", String.class, (payload, ctx) -> {
				this.runs.incrementAndGet();
				this.started.countDown();
				this.mayFinish.await();
				ctx.runOnce("effect", this.effects::incrementAndGet);
				if (payload.equals("fails")) {
					throw new IllegalStateException("fails after its effect");
				}
			})
			.build();
		JobId id = this.node.jobQueue().enqueue("work", outcome, EnqueueOptions.builder().maxAttempts(1).build()).jobId();
		this.node.start();
		assertThat(this.started.await(30, TimeUnit.SECONDS)).isTrue();
		// the start lost: the row as the claim left it
		int undone = db.jdbc().sql("UPDATE " + db.jobTable() + " SET started_at = NULL, attempt = attempt - 1,"
				+ " attempted_at = NULL WHERE id = :id AND started_at IS NOT NULL AND state = 'running'")
			.param("id", id.value())
			.update();
		assertThat(undone).isOne();
		this.mayFinish.countDown();
		JobState expected = outcome.equals("completes") ? JobState.COMPLETED : JobState.DEAD;
		await().atMost(Duration.ofSeconds(30)).until(() -> this.node.jobQueue().find(id).orElseThrow().state() == expected);
		JobInfo job = this.node.jobQueue().find(id).orElseThrow();
		assertThat(this.runs).hasValue(1);
		assertThat(this.effects).hasValue(1);
		if (expected == JobState.DEAD) {
			assertThat(job.errors()).singleElement()
				.satisfies((error) -> assertThat(error.message()).contains("fails after its effect"));
		}
	}

}
