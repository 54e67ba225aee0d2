package io.github.pgqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown: no new claims, running jobs finish within the timeout, and the rest are
 * released for another worker at once, not after their lease.
 */
class ShutdownIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@Test
	void runningJobsThatFinishWithinTheTimeoutComplete() throws Exception {
		CountDownLatch started = new CountDownLatch(3);
		CountDownLatch finish = new CountDownLatch(1);
		PgQueue worker = PgQueue.builder(db.dataSource())
			.settings(db.settings().shutdownTimeout(Duration.ofSeconds(10)).queue(QueueSettings.of("default", 3)).build())
			.handler("short", String.class, (payload, ctx) -> {
				started.countDown();
				finish.await(10, TimeUnit.SECONDS);
			})
			.build();
		List<EnqueueResult> jobs = worker.jobQueue()
			.enqueueAll(IntStream.range(0, 3).mapToObj((i) -> JobRequest.of("short", "x")).toList());
		JobId waiting = worker.jobQueue().enqueue("short", "not yet claimed");
		worker.start();
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		// every slot is busy until the stop has begun: the fourth job could only be claimed after
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(worker::stop);
		await().atMost(Duration.ofSeconds(10)).until(() -> !worker.worker().isRunning());
		finish.countDown();
		stopping.get(20, TimeUnit.SECONDS);
		for (EnqueueResult job : jobs) {
			assertThat(worker.jobQueue().find(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		}
		assertThat(worker.jobQueue().find(waiting).orElseThrow().state()).as("no claim after stop began")
			.isEqualTo(JobState.AVAILABLE);
		assertThat(worker.worker().stats().released()).isZero();
	}

	@Test
	void jobsStillRunningAtTheTimeoutAreReleasedAndAnotherWorkerTakesThemAtOnce() throws Exception {
		CountDownLatch started = new CountDownLatch(4);
		AtomicInteger interrupted = new AtomicInteger();
		PgQueue first = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.workerId("first")
				// a lease far longer than the test: only the release lets the second worker in
				.leaseDuration(Duration.ofMinutes(10))
				.heartbeatInterval(Duration.ofMinutes(1))
				.shutdownTimeout(Duration.ofMillis(300))
				.queue(QueueSettings.of("default", 4))
				.build())
			.handler("long", String.class, (payload, ctx) -> {
				started.countDown();
				try {
					new CountDownLatch(1).await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted.incrementAndGet();
					throw ex;
				}
			})
			.build();
		List<JobId> ids = first.jobQueue()
			.enqueueAll(IntStream.range(0, 6).mapToObj((i) -> JobRequest.of("long", i)).toList())
			.stream()
			.map(EnqueueResult::jobId)
			.toList();
		first.start();
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

		first.stop();

		assertThat(db.countJobs("running")).as("none left running").isZero();
		assertThat(db.countJobs("available")).as("none lost").isEqualTo(6);
		assertThat(first.worker().stats().released()).isEqualTo(4);
		await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.get() == 4);
		for (JobId id : ids) {
			JobInfo job = first.jobQueue().find(id).orElseThrow();
			assertThat(job.attempt()).as("a release is not a failed attempt").isZero();
			assertThat(job.leaseOwner()).isNull();
		}

		PgQueue second = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("second").queue(QueueSettings.of("default", 4)).build())
			.handler("long", String.class, (payload, ctx) -> {
			})
			.build();
		second.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> db.countJobs("completed") == 6);
		}
		finally {
			second.stop();
		}
		assertThat(first.worker().stats().completed()).isZero();
	}


}
