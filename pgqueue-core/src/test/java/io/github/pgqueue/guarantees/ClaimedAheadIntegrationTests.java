package io.github.pgqueue.guarantees;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs a worker claimed ahead of its free slots: none of them starts a handler once it was released
 * at shutdown, cancelled, or its queue paused, whether the queue's executor queues its tasks
 * (platform threads) or starts a thread per task that waits for a slot (as virtual threads do).
 */
class ClaimedAheadIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final CountDownLatch blockerMayFinish = new CountDownLatch(1);

	private final Set<Long> ran = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean blockerStarted = new AtomicBoolean();

	private PgQueue node;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		db.jdbc().sql("DELETE FROM " + db.schema() + ".pgqueue_queue").update();
	}

	@AfterEach
	void stop() {
		this.blockerMayFinish.countDown();
		if (this.node != null) {
			this.node.stop();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "thread-per-task" })
	void noJobClaimedAheadStartsAfterTheWorkerReleasedIt(String threads) throws Exception {
		List<JobId> ahead = blockWithJobsClaimedAhead(threads);
		Thread stopper = new Thread(this.node::stop);
		stopper.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("running") == 0);
		this.ran.clear();
		this.blockerMayFinish.countDown();
		stopper.join(30_000);
		assertThat(this.ran).as("handlers started after their jobs were released").isEmpty();
		assertThat(ahead).allSatisfy((id) -> assertThat(this.node.jobQueue().find(id).orElseThrow().attempt())
			.as("attempt of a released job that never ran").isZero());
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "thread-per-task" })
	void aCancelledJobClaimedAheadNeverStarts(String threads) {
		List<JobId> ahead = blockWithJobsClaimedAhead(threads);
		JobId cancelled = ahead.get(0);
		assertThat(this.node.jobQueue().cancel(cancelled)).isTrue();
		this.blockerMayFinish.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("available") + db.countJobs("running") == 0);
		assertThat(this.ran).doesNotContain(cancelled.value());
		assertThat(this.node.jobQueue().find(cancelled).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "thread-per-task" })
	void aJobOfAPausedQueueClaimedAheadNeverStartsAndKeepsItsAttempt(String threads) {
		List<JobId> ahead = blockWithJobsClaimedAhead(threads);
		this.node.jobOperations().pause("default");
		this.blockerMayFinish.countDown();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ahead.stream()
				.allMatch((id) -> this.node.jobQueue().find(id).orElseThrow().state() == JobState.AVAILABLE));
		assertThat(this.ran).as("handlers of a paused queue's jobs").doesNotContainAnyElementsOf(
				ahead.stream().map(JobId::value).toList());
		assertThat(ahead).allSatisfy((id) -> assertThat(this.node.jobQueue().find(id).orElseThrow().attempt()).isZero());
	}

	/**
	 * A handler that returns with its thread's interrupt flag set (it caught an interrupt meant for it,
	 * its timeout's or its cancel's, and restored the flag, as it should) must not cost the jobs in line
	 * behind it, which the same thread takes up: none of their starts may be cut short by that flag.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "platform", "thread-per-task" })
	void aHandlerLeavingItsThreadInterruptedCostsNoJobInLineBehindIt(String threads) {
		this.node = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("interrupted-" + threads).leaseDuration(Duration.ofSeconds(2))
				.heartbeatInterval(Duration.ofMillis(500)).queue(QueueSettings.of("default", 1)).build())
			.executorFactory(executors(threads))
			.handler("short", String.class, (payload, ctx) -> this.ran.add(ctx.jobId().value()))
			.handler("interrupted", String.class, (payload, ctx) -> {
				this.blockerStarted.set(true);
				this.blockerMayFinish.await();
				Thread.currentThread().interrupt();
			})
			.build();
		warmUp();
		List<JobId> ids = claimedBehind("interrupted", 20, EnqueueOptions.builder().maxAttempts(1).build());
		this.blockerMayFinish.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("available") + db.countJobs("running") == 0);
		List<JobId> behind = ids.subList(1, ids.size());
		assertThat(behind).allSatisfy((id) -> assertThat(this.node.jobQueue().find(id).orElseThrow().state())
			.as("state of job %s, in line behind the interrupted handler", id.value())
			.isEqualTo(JobState.COMPLETED));
		assertThat(this.ran).containsAll(behind.stream().map(JobId::value).toList());
	}

	/**
	 * A failure's write waits on the calling thread (retried while the lease lasts): the permit it gave
	 * back goes to the next job in line at once, not once that write is done.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "platform", "thread-per-task" })
	void aFailureWaitingToBeWrittenHoldsBackNoJobInLine(String threads) throws Exception {
		this.node = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("failing-" + threads).queue(QueueSettings.of("default", 1)).build())
			.executorFactory(executors(threads))
			.handler("short", String.class, (payload, ctx) -> this.ran.add(ctx.jobId().value()))
			.handler("failing", String.class, (payload, ctx) -> {
				this.blockerStarted.set(true);
				this.blockerMayFinish.await();
				throw new IllegalStateException("fails");
			})
			.build();
		warmUp();
		List<JobId> ids = claimedBehind("failing", 5, EnqueueOptions.defaults());
		try (Connection locker = db.dataSource().getConnection()) {
			locker.setAutoCommit(false);
			try (PreparedStatement lock = locker
				.prepareStatement("SELECT 1 FROM " + db.jobTable() + " WHERE id = ? FOR UPDATE")) {
				lock.setLong(1, ids.get(0).value());
				lock.executeQuery().close();
			}
			// the failure's write now waits for the lock
			this.blockerMayFinish.countDown();
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(this.ran).containsAll(ids.subList(1, ids.size()).stream()
					.map(JobId::value)
					.toList()));
			locker.rollback();
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.node.jobQueue().find(ids.get(0)).orElseThrow().state() == JobState.AVAILABLE);
	}

	private static ExecutorFactory executors(String threads) {
		return threads.equals("platform") ? ExecutorFactory.platformThreads()
				: (queue, concurrency) -> Executors.newCachedThreadPool(ExecutorFactory.threadFactory("per-task-"));
	}

	/**
	 * Enqueues a job of the given kind ahead of short ones, and waits until it has started and short
	 * ones are claimed behind it.
	 * @return the first job's id, then the short ones'
	 */
	private List<JobId> claimedBehind(String first, int shortJobs, EnqueueOptions shortOptions) {
		List<JobRequest> batch = new ArrayList<>();
		batch.add(JobRequest.of(first, "first", EnqueueOptions.builder().priority(10).build()));
		for (int i = 0; i < shortJobs; i++) {
			batch.add(JobRequest.of("short", "behind-" + i, shortOptions));
		}
		List<JobId> ids = this.node.jobQueue().enqueueAll(batch).stream().map((r) -> r.jobId()).toList();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.blockerStarted.get() && db.countJobs("running") > 1);
		return ids;
	}

	/** Runs 40 short jobs on the node, so that its one slot claims ahead. */
	private void warmUp() {
		List<JobRequest> warmUp = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			warmUp.add(JobRequest.of("short", "warm-" + i));
		}
		this.node.jobQueue().enqueueAll(warmUp);
		this.node.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("completed") == 40);
	}

	/**
	 * Warms one slot up with short jobs (so that the worker claims ahead), then starts a blocker
	 * and waits until jobs are claimed behind it.
	 * @return the jobs claimed ahead, waiting behind the blocker
	 */
	private List<JobId> blockWithJobsClaimedAhead(String threads) {
		this.node = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("ahead-" + threads).queue(QueueSettings.of("default", 1)).build())
			.executorFactory(executors(threads))
			.handler("short", String.class, (payload, ctx) -> this.ran.add(ctx.jobId().value()))
			.handler("blocker", String.class, (payload, ctx) -> {
				this.blockerStarted.set(true);
				while (true) {
					try {
						this.blockerMayFinish.await();
						return;
					}
					catch (InterruptedException ex) {
						// a handler that finishes its work whatever the interrupt
					}
				}
			})
			.build();
		warmUp();
		List<JobId> ids = claimedBehind("blocker", 20, EnqueueOptions.defaults());
		return ids.subList(1, ids.size())
			.stream()
			.filter((id) -> this.node.jobQueue().find(id).orElseThrow().state() == JobState.RUNNING)
			.toList();
	}

}
