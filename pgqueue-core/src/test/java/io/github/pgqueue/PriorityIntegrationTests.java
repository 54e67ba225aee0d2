package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Priorities: higher runs first, and a waiting job's priority ages so that none waits past its bound.
 */
class PriorityIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<String> started = new CopyOnWriteArrayList<>();

	private final AtomicBoolean streaming = new AtomicBoolean(true);

	private PgQueue pgQueue;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@AfterEach
	void stop() {
		this.streaming.set(false);
		if (this.pgQueue != null) {
			this.pgQueue.stop();
		}
	}

	private PgQueue start(Duration aging) {
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.priorityAging(aging)
				.pollInterval(Duration.ofMillis(20))
				.queue(QueueSettings.of("default", 1))
				.build())
			.handler("step", String.class, (name, ctx) -> {
				this.started.add(name);
				// each job takes a while, so the queue stays backed up
				await().pollDelay(Duration.ofMillis(20)).until(() -> true);
			})
			.build();
		return this.pgQueue;
	}

	@Test
	void higherPriorityRunsFirst() {
		PgQueue queue = start(Duration.ofHours(1));
		queue.jobQueue().enqueue("step", "low", EnqueueOptions.builder().priority(1).build());
		queue.jobQueue().enqueue("step", "high", EnqueueOptions.builder().priority(5).build());
		queue.jobQueue().enqueue("step", "middle", EnqueueOptions.builder().priority(3).build());
		queue.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 3);
		assertThat(this.started).containsExactly("high", "middle", "low");
	}

	@Test
	void withConcurrencyOneAndAStreamOfHighPriorityJobsALowPriorityJobStartsWithinTheAgingBound() {
		Duration aging = Duration.ofMillis(100);
		int gap = 10;
		PgQueue queue = start(aging);
		for (int i = 0; i < 5; i++) {
			queue.jobQueue().enqueue("step", "high-" + i, EnqueueOptions.builder().priority(gap).build());
		}
		JobId low = queue.jobQueue().enqueue("step", "low", EnqueueOptions.builder().priority(0).build()).jobId();
		Thread producer = new Thread(() -> {
			int n = 5;
			while (this.streaming.get()) {
				// keep the backlog of fresh high-priority jobs from ever running dry
				if (db.countJobs("available") < 5) {
					queue.jobQueue().enqueue("step", "high-" + n++, EnqueueOptions.builder().priority(gap).build());
				}
			}
		});
		producer.start();
		queue.start();
		// the bound: (gap in priority) × aging, plus the job running when it qualified, plus slack
		Duration bound = aging.multipliedBy(gap).plusSeconds(2);
		await().atMost(bound.plusSeconds(5)).until(() -> this.started.contains("low"));
		this.streaming.set(false);
		JobInfo job = queue.jobQueue().find(low).orElseThrow();
		Duration waited = Duration.between(job.runAt(), job.attemptedAt());
		assertThat(waited).isLessThanOrEqualTo(bound);
		assertThat(this.started.indexOf("low")).as("high-priority jobs did run before it").isGreaterThan(3);
		assertThat(db.countJobs("available")).as("the stream was still going").isPositive();
	}

	@Test
	void aDelayedJobDoesNotStartBeforeItsTimeByTheDatabaseClock() {
		PgQueue queue = start(Duration.ofMinutes(1));
		JobId id = queue.jobQueue()
			.enqueue("step", "later", EnqueueOptions.builder().delay(Duration.ofSeconds(2)).build())
			.jobId();
		Instant runAt = queue.jobQueue().find(id).orElseThrow().runAt();
		queue.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.contains("later"));
		assertThat(queue.jobQueue().find(id).orElseThrow().attemptedAt()).isAfterOrEqualTo(runAt);
	}

}
