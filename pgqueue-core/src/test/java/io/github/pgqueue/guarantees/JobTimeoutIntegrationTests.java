package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.RetrySettings;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No job is left running for ever: at its timeout (the handler's own, else its queue's, else the
 * engine's) the handler's thread is interrupted and the attempt fails saying it timed out; a handler
 * that ignores the interrupt has its attempt failed without it after the grace period, its slot and
 * lease let go, and its late outcome rejected.
 */
class JobTimeoutIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> nodes = new CopyOnWriteArrayList<>();

	private final CountDownLatch never = new CountDownLatch(1);

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@AfterEach
	void stop() {
		this.never.countDown();
		this.nodes.forEach(PgQueue::stop);
	}

	@Test
	void aHandlerPastItsTimeoutIsInterruptedAndTheAttemptFailsSayingSo() {
		AtomicInteger runs = new AtomicInteger();
		PgQueue node = node(settings().jobTimeout(Duration.ofMillis(400)), (builder) -> builder
			.handler("hangs", String.class, (payload, ctx) -> {
				runs.incrementAndGet();
				this.never.await();
			}));
		JobId id = node.jobQueue().enqueue("hangs", "x", EnqueueOptions.builder().maxAttempts(2).build()).jobId();
		node.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> state(node, id) == JobState.DEAD);
		JobInfo job = node.jobQueue().find(id).orElseThrow();
		assertThat(runs).hasValue(2);
		assertThat(job.errors()).hasSize(2).allSatisfy((error) -> assertThat(error.message())
			.contains("timed out after 400ms"));
	}

	@Test
	void theHandlersTimeoutWinsOverItsQueuesWhichWinsOverTheDefault() {
		AtomicInteger runs = new AtomicInteger();
		PgQueue node = node(settings().jobTimeout(Duration.ofMinutes(10))
			.queue(QueueSettings.of("default", 2).withJobTimeout(Duration.ofMinutes(5)))
			.queue(QueueSettings.of("short", 2).withJobTimeout(Duration.ofMillis(300))), (builder) -> builder
				.handler("own", String.class, Duration.ofMillis(200), (payload, ctx) -> {
					runs.incrementAndGet();
					this.never.await();
				})
				.handler("queued", String.class, (payload, ctx) -> {
					runs.incrementAndGet();
					this.never.await();
				}));
		JobId own = node.jobQueue().enqueue("own", "x", EnqueueOptions.builder().maxAttempts(1).build()).jobId();
		JobId queued = node.jobQueue()
			.enqueue("queued", "x", EnqueueOptions.builder().maxAttempts(1).queue("short").build())
			.jobId();
		node.start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> state(node, own) == JobState.DEAD && state(node, queued) == JobState.DEAD);
		assertThat(node.jobQueue().find(own).orElseThrow().errors().get(0).message()).contains("timed out after 200ms");
		assertThat(node.jobQueue().find(queued).orElseThrow().errors().get(0).message())
			.contains("timed out after 300ms");
	}

	@Test
	void aHandlerIgnoringTheInterruptIsAbandonedItsSlotFreedAndItsLateOutcomeRejected() throws Exception {
		CountDownLatch stuck = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		PgQueue node = node(settings().jobTimeout(Duration.ofMillis(300)).cancelGracePeriod(Duration.ofMillis(300))
			.retry(new RetrySettings(3, Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 0.0))
			.queue(QueueSettings.of("default", 1)), (builder) -> builder
				.handler("deaf", String.class, (payload, ctx) -> {
					if (runs.incrementAndGet() == 1) {
						// ignores every interrupt until the test lets it go
						while (true) {
							try {
								stuck.await();
								return;
							}
							catch (InterruptedException ex) {
								// deaf
							}
						}
					}
				}));
		JobId id = node.jobQueue().enqueue("deaf", "x");
		node.start();
		// its one slot was freed: the second attempt ran beside the stuck first one, and completed
		await().atMost(Duration.ofSeconds(30)).until(() -> state(node, id) == JobState.COMPLETED);
		JobInfo job = node.jobQueue().find(id).orElseThrow();
		assertThat(job.attempt()).isEqualTo(2);
		assertThat(job.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("timed out after 300ms")
				.contains("ignored the interrupt"));
		stuck.countDown();
		assertThat(node.jobQueue().find(id).orElseThrow().state()).as("the late outcome changed nothing")
			.isEqualTo(JobState.COMPLETED);
		assertThat(runs).hasValue(2);
	}

	private static JobState state(PgQueue node, JobId id) {
		return node.jobQueue().find(id).orElseThrow().state();
	}

	private static EngineSettings.Builder settings() {
		return db.settings().workerId("timeouts").retry(new RetrySettings(5, Duration.ofMillis(10), 1.0,
				Duration.ofMillis(10), 0.0));
	}

	private PgQueue node(EngineSettings.Builder settings, java.util.function.UnaryOperator<PgQueue.Builder> handlers) {
		PgQueue node = handlers.apply(PgQueue.builder(db.dataSource()).settings(settings.build())).build();
		this.nodes.add(node);
		return node;
	}

}
