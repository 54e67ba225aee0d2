package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.test.TcpProxy;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outage of the worker's database connections shorter than the lease (open connections reset,
 * new ones refused, through a TCP proxy) loses no outcome and re-runs nothing: completion and
 * failure writes are retried while the lease may still be valid, and the heartbeat keeps renewing
 * the leases of jobs whose outcome waits to be written.
 */
class OutageIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Test
	void outagesShorterThanTheLeaseLoseNoOutcomeAndRerunNothing() throws Exception {
		Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
		AtomicInteger inHandlers = new AtomicInteger();
		try (TcpProxy proxy = TcpProxy.forTestDatabase(); HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(proxy.jdbcUrl());
			dataSource.setUsername(TestDatabase.sharedDataSource().getUsername());
			dataSource.setPassword(TestDatabase.sharedDataSource().getPassword());
			dataSource.setMaximumPoolSize(8);
			dataSource.setConnectionTimeout(1000);
			PgQueue node = PgQueue.builder(dataSource)
				.settings(db.settings()
					.workerId("outage")
					.leaseDuration(Duration.ofSeconds(20))
					.heartbeatInterval(Duration.ofSeconds(2))
					.queue(QueueSettings.of("default", 4))
					.build())
				.handler("work", String.class, (payload, ctx) -> {
					runs.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
					inHandlers.incrementAndGet();
					try {
						// the handler's own work (the 40 ms jobs), so that jobs are in flight at each cut
						Thread.sleep(40);
						if (payload.endsWith("7")) {
							throw new IllegalStateException("a failure whose write must survive the outage too");
						}
					}
					finally {
						inHandlers.decrementAndGet();
					}
				})
				.build();
			List<JobRequest> jobs = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				jobs.add(JobRequest.of("work", "job-" + i, EnqueueOptions.builder().maxAttempts(1).build()));
			}
			PgQueue producer = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build();
			producer.jobQueue().enqueueAll(jobs);
			node.start();
			try {
				for (int outage = 0; outage < 3; outage++) {
					int before = runs.size();
					await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() >= before + 60);
					proxy.cut();
					long refusedAtCut = proxy.refused();
					// the outage lasts until the node has met it: its reconnects were refused, and the
					// handlers running at the cut have finished (their outcomes wait to be written)
					await().atMost(Duration.ofSeconds(30))
						.until(() -> proxy.refused() >= refusedAtCut + 2 && inHandlers.get() == 0);
					proxy.restore();
				}
				await().atMost(Duration.ofSeconds(60))
					.until(() -> db.countJobs("available") + db.countJobs("running") == 0);
			}
			finally {
				node.stop();
			}
			assertThat(db.countJobs("completed")).as("completed").isEqualTo(360);
			// the failures were permanent at maxAttempts(1): dead, each with its own error, not a lost lease
			assertThat(db.countJobs("dead")).as("dead").isEqualTo(40);
			assertThat(db.jdbc()
				.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE state = 'dead' AND errors::text LIKE '%lease expired%'")
				.query(Long.class)
				.single()).as("dead by a lost lease").isZero();
			assertThat(runs.values()).as("runs per job").allSatisfy((count) -> assertThat(count).hasValue(1));
			assertThat(runs).hasSize(400);
		}
	}

}
