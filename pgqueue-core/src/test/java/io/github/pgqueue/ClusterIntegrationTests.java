package io.github.pgqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several workers over one table, with no faults: every job runs exactly once, none is lost.
 */
class ClusterIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> workers = new ArrayList<>();

	@AfterEach
	void stopAll() {
		this.workers.forEach(PgQueue::stop);
	}

	@Test
	void fourWorkersWithConcurrencyEightRunFiveThousandJobsExactlyOnce() {
		int jobs = 5_000;
		Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
		Map<Long, Set<String>> runBy = new ConcurrentHashMap<>();
		for (int w = 0; w < 4; w++) {
			String workerId = "node-" + w;
			PgQueue worker = PgQueue.builder(db.dataSource())
				.settings(db.settings()
					.workerId(workerId)
					.pollInterval(Duration.ofMillis(50))
					.queue(QueueSettings.of("default", 8))
					.build())
				.handler("count", Integer.class, (n, ctx) -> {
					runs.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
					runBy.computeIfAbsent(ctx.jobId().value(), (id) -> ConcurrentHashMap.newKeySet()).add(workerId);
				})
				.build();
			this.workers.add(worker);
		}
		List<EnqueueResult> enqueued = this.workers.get(0)
			.jobQueue()
			.enqueueAll(IntStream.range(0, jobs).mapToObj((i) -> JobRequest.of("count", i)).toList());
		this.workers.forEach(PgQueue::start);

		await().atMost(Duration.ofMinutes(2)).until(() -> completed() == jobs);

		assertThat(runs).hasSize(jobs);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(
				enqueued.stream().map((result) -> result.jobId().value()).toList());
		assertThat(db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE state <> 'completed' OR attempt <> 1")
			.query(Long.class)
			.single()).isZero();
		long busyWorkers = this.workers.stream().filter((worker) -> worker.worker().stats().completed() > 0).count();
		assertThat(busyWorkers).as("the load is shared").isEqualTo(4);
		assertThat(this.workers).allSatisfy((worker) -> {
			assertThat(worker.worker().stats().rejectedWrites()).isZero();
			assertThat(worker.worker().stats().leasesLost()).isZero();
		});
		assertThat(this.workers.stream().mapToLong((worker) -> worker.worker().stats().completed()).sum())
			.isEqualTo(jobs);
	}

	private long completed() {
		return db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE state = 'completed'")
			.query(Long.class)
			.single();
	}

}
