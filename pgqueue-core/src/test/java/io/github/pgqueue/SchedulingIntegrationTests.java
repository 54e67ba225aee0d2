package io.github.pgqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancellation of running jobs, pause and resume across nodes, and the dead letter.
 */
class SchedulingIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> nodes = new ArrayList<>();

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		db.jdbc().sql("DELETE FROM " + db.schema() + ".pgqueue_queue").update();
	}

	@AfterEach
	void stop() {
		this.nodes.forEach(PgQueue::stop);
	}

	private PgQueue node(String name, PgQueue.Handler<String> handler) {
		PgQueue node = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.workerId(name)
				.heartbeatInterval(Duration.ofMillis(100))
				.cancelGracePeriod(Duration.ofMillis(300))
				.retry(new RetrySettings(2, Duration.ofMillis(10), 2.0, Duration.ofSeconds(1), 0.0))
				.queue(QueueSettings.of("default", 2))
				.build())
			.handler("work", String.class, handler)
			.build();
		this.nodes.add(node);
		node.start();
		return node;
	}

	@Test
	void aRunningJobThatIgnoresCancellationIsInterruptedAfterTheGracePeriodAndEndsCancelled() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicInteger interrupted = new AtomicInteger();
		PgQueue node = node("a", (payload, ctx) -> {
			started.countDown();
			try {
				// ignores isCancellationRequested(): only the interrupt stops it
				new CountDownLatch(1).await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				interrupted.incrementAndGet();
				throw ex;
			}
		});
		JobId id = node.jobQueue().enqueue("work", "long");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(node.jobQueue().cancel(id)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> state(node, id) == JobState.CANCELLED);
		assertThat(interrupted).hasValue(1);
		assertThat(node.jobQueue().find(id).orElseThrow().attempt()).isEqualTo(1);
	}

	@Test
	void aRunningJobThatReturnsAfterItsCancelEndsCancelled() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		PgQueue node = node("a", (payload, ctx) -> {
			started.countDown();
			await().atMost(Duration.ofSeconds(10)).until(ctx::isCancellationRequested);
		});
		JobId id = node.jobQueue().enqueue("work", "cooperative");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		node.jobQueue().cancel(id);
		await().atMost(Duration.ofSeconds(10)).until(() -> state(node, id) == JobState.CANCELLED);
	}

	@Test
	void pausingAQueueStopsClaimsOnEveryNodeAndResumingRestartsThem() {
		AtomicInteger ran = new AtomicInteger();
		PgQueue a = node("a", (payload, ctx) -> ran.incrementAndGet());
		PgQueue b = node("b", (payload, ctx) -> ran.incrementAndGet());
		a.jobOperations().pause("default");
		List<JobId> ids = IntStream.range(0, 10).mapToObj((i) -> b.jobQueue().enqueue("work", "p" + i)).toList();
		a.worker().wakeUp();
		b.worker().wakeUp();
		await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> ran.get() == 0);
		assertThat(db.countJobs("available")).isEqualTo(10);

		b.jobOperations().resume("default");
		await().atMost(Duration.ofSeconds(10)).until(() -> db.countJobs("completed") == ids.size());
		assertThat(a.worker().stats().completed() + b.worker().stats().completed()).isEqualTo(10);
	}

	@Test
	void theDeadLetterIsListedRetriedOneByOneOrByKindAndDiscarded() {
		AtomicInteger attempts = new AtomicInteger();
		PgQueue node = node("a", (payload, ctx) -> {
			attempts.incrementAndGet();
			if (!payload.startsWith("ok-after-retry") || ctx.attempt() <= 2) {
				throw new IllegalStateException("failing " + payload + " attempt " + ctx.attempt());
			}
		});
		JobQueue jobs = node.jobQueue();
		JobOperations operations = node.jobOperations();
		JobId one = jobs.enqueue("work", "ok-after-retry-1");
		JobId two = jobs.enqueue("work", "ok-after-retry-2");
		JobId hopeless = jobs.enqueue("work", "hopeless");
		await().atMost(Duration.ofSeconds(10)).until(() -> db.countJobs("dead") == 3);

		List<JobInfo> dead = operations.findDead("work", 10);
		assertThat(dead).extracting(JobInfo::id).containsExactlyInAnyOrder(one, two, hopeless);
		assertThat(dead).allSatisfy((job) -> assertThat(job.errors()).hasSize(2));
		assertThat(operations.findDead("other-kind", 10)).isEmpty();

		assertThat(jobs.retry(one)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> state(node, one) == JobState.COMPLETED);
		JobInfo retried = jobs.find(one).orElseThrow();
		assertThat(retried.errors()).as("history kept").hasSize(2);
		assertThat(retried.attempt()).isEqualTo(3);

		assertThat(operations.discard(two)).as("only dead jobs are discarded").isTrue();
		assertThat(jobs.find(two)).isEmpty();
		assertThat(operations.discard(one)).as("a completed job is left alone").isFalse();

		assertThat(operations.retryDead("work")).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> state(node, hopeless) == JobState.DEAD
				&& jobs.find(hopeless).orElseThrow().attempt() == 3);
		assertThat(jobs.find(hopeless).orElseThrow().errors()).hasSize(3);
	}

	private static JobState state(PgQueue node, JobId id) {
		return node.jobQueue().find(id).orElseThrow().state();
	}

}
