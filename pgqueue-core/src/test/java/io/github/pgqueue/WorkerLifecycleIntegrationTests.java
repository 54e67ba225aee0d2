package io.github.pgqueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each transition of DESIGN.md's lifecycle, driven through a real worker.
 */
class WorkerLifecycleIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch started = new CountDownLatch(1);

	private volatile boolean cancellationSeen;

	private PgQueue pgQueue;

	private JobQueue jobQueue;

	@Job("greet")
	record Greet(String name) {
	}

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.leaseDuration(Duration.ofSeconds(5))
				.heartbeatInterval(Duration.ofMillis(100))
				.retry(new RetrySettings(3, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1), 0.0))
				.queue(QueueSettings.of("default", 4))
				.build())
			.handler(Greet.class, (greet, ctx) -> record(ctx))
			.handler("fail-always", String.class, (payload, ctx) -> {
				record(ctx);
				throw new IllegalStateException("boom on attempt " + ctx.attempt());
			})
			.handler("fail-once", String.class, (payload, ctx) -> {
				record(ctx);
				if (ctx.attempt() == 1) {
					throw new IllegalStateException("first attempt fails");
				}
			})
			.handler("permanent", String.class, (payload, ctx) -> {
				record(ctx);
				throw new PermanentJobFailureException("cannot ever work");
			})
			.handler("retry-later", String.class, (payload, ctx) -> {
				record(ctx);
				if (ctx.attempt() == 1) {
					throw new RetryJobException(Duration.ofMinutes(10));
				}
			})
			.handler("typed", Greet.class, (greet, ctx) -> {
				record(ctx);
				assertThat(greet.name()).isNotNull();
			})
			.handler("blocking", String.class, (payload, ctx) -> {
				record(ctx);
				this.started.countDown();
				// a well-behaved long handler: works in slices and checks for cancellation between them
				while (!this.release.await(10, TimeUnit.MILLISECONDS) && !ctx.isCancellationRequested()) {
				}
				this.cancellationSeen = ctx.isCancellationRequested();
				if (ctx.isCancellationRequested()) {
					throw new IllegalStateException("stopping: cancelled");
				}
			})
			.build();
		this.jobQueue = this.pgQueue.jobQueue();
		this.pgQueue.start();
	}

	@AfterEach
	void tearDown() {
		this.release.countDown();
		this.pgQueue.stop();
	}

	private void record(JobContext ctx) {
		this.runs.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
		this.attemptsSeen.add(ctx.attempt());
		assertThat(ctx.retryCount()).isEqualTo(ctx.attempt() - 1);
	}

	@Test
	void availableToRunningToCompleted() {
		JobId id = this.jobQueue.enqueue(new Greet("Ada"));
		JobInfo job = awaitState(id, JobState.COMPLETED);
		assertThat(job.attempt()).isEqualTo(1);
		assertThat(job.finalizedAt()).isNotNull();
		assertThat(job.leaseOwner()).isNull();
		assertThat(job.leaseExpiresAt()).isNull();
		assertThat(job.attemptedAt()).isNotNull();
		assertThat(job.errors()).isEmpty();
		assertThat(this.runs.get(id.value())).hasValue(1);
	}

	@Test
	void whileRunningTheJobIsLeasedToThisWorker() {
		JobId id = this.jobQueue.enqueue("blocking", "x");
		JobInfo job = awaitState(id, JobState.RUNNING);
		assertThat(job.leaseOwner()).isEqualTo(this.pgQueue.worker().workerId());
		assertThat(job.leaseExpiresAt()).isAfter(job.attemptedAt());
		assertThat(job.attempt()).isEqualTo(1);
		this.release.countDown();
		awaitState(id, JobState.COMPLETED);
	}

	@Test
	void aFailureWithAttemptsLeftGoesBackToAvailableAndThenCompletes() {
		JobId id = this.jobQueue.enqueue("fail-once", "x");
		JobInfo job = awaitState(id, JobState.COMPLETED);
		assertThat(job.attempt()).isEqualTo(2);
		assertThat(job.errors()).singleElement().satisfies((error) -> {
			assertThat(error.attempt()).isEqualTo(1);
			assertThat(error.message()).contains("IllegalStateException: first attempt fails");
			assertThat(error.stackTrace()).contains("WorkerLifecycleIntegrationTests");
		});
		assertThat(this.attemptsSeen).containsExactly(1, 2);
	}

	@Test
	void exhaustingAttemptsGoesDeadWithEveryErrorKept() {
		JobId id = this.jobQueue.enqueue("fail-always", "x");
		JobInfo job = awaitState(id, JobState.DEAD);
		assertThat(job.attempt()).isEqualTo(3);
		assertThat(job.finalizedAt()).isNotNull();
		assertThat(job.errors()).extracting(JobError::attempt).containsExactly(1, 2, 3);
		assertThat(job.errors()).extracting(JobError::message)
			.containsExactly("java.lang.IllegalStateException: boom on attempt 1",
					"java.lang.IllegalStateException: boom on attempt 2",
					"java.lang.IllegalStateException: boom on attempt 3");
		assertThat(this.runs.get(id.value())).hasValue(3);
	}

	@Test
	void maxAttemptsFromTheEnqueueOptionsWins() {
		JobId id = this.jobQueue.enqueue("fail-always", "x", EnqueueOptions.builder().maxAttempts(1).build()).jobId();
		assertThat(awaitState(id, JobState.DEAD).attempt()).isEqualTo(1);
	}

	@Test
	void aPermanentFailureGoesDeadAtOnce() {
		JobId id = this.jobQueue.enqueue("permanent", "x");
		JobInfo job = awaitState(id, JobState.DEAD);
		assertThat(job.attempt()).isEqualTo(1);
		assertThat(job.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("cannot ever work"));
	}

	@Test
	void retryJobExceptionDelaysTheNextAttemptByItsDuration() {
		JobId id = this.jobQueue.enqueue("retry-later", "x");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.jobQueue.find(id).orElseThrow().errors().size() == 1);
		JobInfo job = this.jobQueue.find(id).orElseThrow();
		assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
		Duration delay = Duration.between(job.errors().get(0).at(), job.runAt());
		assertThat(delay).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(10).plusMillis(1));
	}

	@Test
	void aPayloadThatCannotBeReadGoesDeadAfterOneAttemptAndTheWorkerCarriesOn() {
		JobId bad = this.jobQueue.enqueue("typed", List.of(1, 2, 3));
		JobId good = this.jobQueue.enqueue("typed", new Greet("Grace"));
		JobInfo job = awaitState(bad, JobState.DEAD);
		assertThat(job.attempt()).isEqualTo(1);
		assertThat(job.errors()).singleElement().satisfies((error) -> assertThat(error.message())
			.contains("payload of job kind 'typed' cannot be read as")
			.contains("Greet"));
		assertThat(this.runs).doesNotContainKey(bad.value());
		awaitState(good, JobState.COMPLETED);
	}

	@Test
	void onlyKindsWithAHandlerAreClaimed() {
		JobId unknown = this.jobQueue.enqueue("no-handler-here", "x");
		JobId known = this.jobQueue.enqueue(new Greet("Edsger"));
		awaitState(known, JobState.COMPLETED);
		this.pgQueue.worker().wakeUp();
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.jobQueue.find(unknown).orElseThrow().state() == JobState.AVAILABLE);
		assertThat(this.jobQueue.find(unknown).orElseThrow().attempt()).isZero();
	}

	@Test
	void aDelayedJobIsNotClaimedBeforeItsTime() {
		JobId id = this.jobQueue.enqueue(JobRequest.of(new Greet("later"))
				.withOptions(EnqueueOptions.builder().delay(Duration.ofMillis(1500)).build()))
			.jobId();
		JobInfo job = awaitState(id, JobState.COMPLETED);
		assertThat(job.attemptedAt()).isAfterOrEqualTo(job.runAt());
	}

	@Test
	void cancellingARunningJobIsSeenThroughTheHeartbeatAndEndsCancelled() throws Exception {
		JobId id = this.jobQueue.enqueue("blocking", "x");
		assertThat(this.started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.jobQueue.cancel(id)).isTrue();
		assertThat(this.jobQueue.find(id).orElseThrow().cancelRequested()).isTrue();
		JobInfo job = awaitState(id, JobState.CANCELLED);
		assertThat(this.cancellationSeen).isTrue();
		assertThat(job.finalizedAt()).isNotNull();
	}

	@Test
	void aDeadJobRetriedRunsAgainKeepingItsHistory() {
		JobId id = this.jobQueue.enqueue("permanent", "x");
		awaitState(id, JobState.DEAD);
		assertThat(this.jobQueue.retry(id)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.jobQueue.find(id).orElseThrow().errors().size() == 2);
		JobInfo job = awaitState(id, JobState.DEAD);
		assertThat(job.attempt()).isEqualTo(2);
		assertThat(job.maxAttempts()).isEqualTo(3);
		assertThat(job.errors()).extracting(JobError::attempt).containsExactly(1, 2);
	}

	private JobInfo awaitState(JobId id, JobState state) {
		await().atMost(Duration.ofSeconds(15)).until(() -> this.jobQueue.find(id).orElseThrow().state() == state);
		return this.jobQueue.find(id).orElseThrow();
	}

}
