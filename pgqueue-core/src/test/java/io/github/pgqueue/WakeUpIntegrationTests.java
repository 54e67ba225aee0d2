package io.github.pgqueue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LISTEN/NOTIFY wake-ups: with a poll interval far longer than the test, only a notification can
 * start a job, so each of these proves a wake-up arrived (or, with notify off, that polling works).
 */
class WakeUpIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private PgQueue pgQueue;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@AfterEach
	void stop() {
		if (this.pgQueue != null) {
			this.pgQueue.stop();
		}
	}

	private PgQueue start(boolean notify, Duration pollInterval) {
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.pollInterval(pollInterval)
				.notifyEnabled(notify)
				.queue(QueueSettings.of("default", 4))
				.build())
			.handler("ping", String.class, (payload, ctx) -> {
			})
			.build();
		this.pgQueue.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> !notify || this.pgQueue.worker().isListening());
		return this.pgQueue;
	}

	@Test
	void anIdleWorkerStartsAJobAtOnceWhenNotified() {
		PgQueue queue = start(true, Duration.ofMinutes(10));
		for (int i = 0; i < 5; i++) {
			JobId id = queue.jobQueue().enqueue("ping", "x" + i);
			await().atMost(Duration.ofSeconds(5)).until(() -> state(id) == JobState.COMPLETED);
		}
	}

	@Test
	void aBurstOfEnqueuesIsCoalescedYetEveryJobStarts() {
		PgQueue queue = start(true, Duration.ofMinutes(10));
		List<JobId> ids = IntStream.range(0, 200).mapToObj((i) -> queue.jobQueue().enqueue("ping", "burst" + i)).toList();
		await().atMost(Duration.ofSeconds(20)).until(() -> db.countJobs("completed") == ids.size());
	}

	// from another PgQueue, which shares nothing with the worker but the database: only the
	// notification the batch's statement sent can wake it
	@Test
	void aBatchWakesTheWorkerInEitherShape() {
		start(true, Duration.ofMinutes(10));
		JobQueue enqueuer = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build().jobQueue();
		// alike but for their payloads: written by the lean statement
		enqueuer.enqueueAll(List.of(JobRequest.of("ping", "a"), JobRequest.of("ping", "b")));
		await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("completed") == 2);
		// of two priorities: written by the general one
		enqueuer.enqueueAll(List.of(JobRequest.of("ping", "c"),
				JobRequest.of("ping", "d", EnqueueOptions.builder().priority(3).build())));
		await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("completed") == 4);
	}

	@Test
	void aJobEnqueuedInATransactionWakesTheWorkerWhenItCommits() {
		PgQueue queue = start(true, Duration.ofMinutes(10));
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
		List<JobId> ids = tx.execute((status) -> IntStream.range(0, 3)
			.mapToObj((i) -> queue.jobQueue().enqueue("ping", "tx" + i))
			.toList());
		await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("completed") == ids.size());
	}

	@Test
	void theListenerReconnectsAfterItsConnectionIsTerminated() {
		PgQueue queue = start(true, Duration.ofMinutes(10));
		List<Integer> before = listenerPids();
		assertThat(before).hasSize(1);
		db.jdbc().sql("SELECT pg_terminate_backend(:pid)").param("pid", before.get(0)).query(Boolean.class).single();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> queue.worker().isListening() && listenerPids().size() == 1 && !listenerPids().equals(before));
		JobId id = queue.jobQueue().enqueue("ping", "after");
		await().atMost(Duration.ofSeconds(5)).until(() -> state(id) == JobState.COMPLETED);
	}

	@Test
	void withNotifyOffPollingStillFindsEveryJob() {
		PgQueue queue = start(false, Duration.ofMillis(100));
		assertThat(queue.worker().isListening()).isFalse();
		JobId id = queue.jobQueue().enqueue("ping", "polled");
		await().atMost(Duration.ofSeconds(5)).until(() -> state(id) == JobState.COMPLETED);
	}

	private List<Integer> listenerPids() {
		return db.jdbc()
			.sql("SELECT pid FROM pg_stat_activity WHERE query = :listen AND state = 'idle' AND pid <> pg_backend_pid()")
			.param("listen", "LISTEN pgqueue_" + db.schema())
			.query(Integer.class)
			.list();
	}

	private JobState state(JobId id) {
		return this.pgQueue.jobQueue().find(id).orElseThrow().state();
	}

}
