package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;
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
 * Handlers that run inside a Spring transaction of their own, as a {@code @Transactional} handler
 * bean does: the ledger commits on its own whatever the handler's transaction does, and nothing the
 * handler holds (row locks, an open transaction, every connection of the pool) delays the renewal of
 * its node's leases.
 */
class TransactionalHandlerIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.nodes.forEach(PgQueue::stop);
	}

	@Test
	void aRolledBackHandlerTransactionDoesNotEraseTheLedgersRecordOfSuccess() {
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
		AtomicInteger charges = new AtomicInteger();
		PgQueue node = node(db.settings().workerId("tx-node").queue(QueueSettings.of("default", 1)), db.dataSource(),
				(builder) -> builder.handler("charge", String.class, (payload, ctx) -> tx.executeWithoutResult((status) -> {
					ctx.runOnce("charge", charges::incrementAndGet);
					if (ctx.attempt() == 1) {
						throw new IllegalStateException("failed after the charge");
					}
				})));
		JobId id = node.jobQueue()
			.enqueue("charge", "order-1", EnqueueOptions.builder().maxAttempts(3).build())
			.jobId();
		node.start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> node.jobQueue().find(id).orElseThrow().state() == JobState.COMPLETED);
		assertThat(charges).as("charges for one job").hasValue(1);
	}

	@Test
	void aHandlerHoldingItsTransactionOpenAfterRunOnceDoesNotCostItsNodeItsLeases() {
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
		Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
		Duration lease = Duration.ofMillis(1500);
		PgQueue busy = node(db.settings().workerId("busy").leaseDuration(lease).heartbeatInterval(Duration.ofMillis(250))
			.queue(QueueSettings.of("default", 5)), db.dataSource(), (builder) -> builder
				.handler("long-tx", String.class, (payload, ctx) -> tx.executeWithoutResult((status) -> {
					runs.computeIfAbsent(ctx.jobId().value(), (k) -> new AtomicInteger()).incrementAndGet();
					ctx.runOnce("step", () -> "done");
					awaitRelease();
				}))
				.handler("plain", String.class, (payload, ctx) -> {
					runs.computeIfAbsent(ctx.jobId().value(), (k) -> new AtomicInteger()).incrementAndGet();
					awaitRelease();
				}));
		List<JobId> ids = new java.util.ArrayList<>();
		ids.add(busy.jobQueue().enqueue("long-tx", "x"));
		for (int i = 0; i < 4; i++) {
			ids.add(busy.jobQueue().enqueue("plain", "x" + i));
		}
		busy.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> db.countJobs("running") == 5);
		// an idle second node whose reaper would rescue any lease the first node let expire
		PgQueue idle = node(db.settings().workerId("idle").leaseDuration(lease).heartbeatInterval(Duration.ofMillis(250)).queue(QueueSettings.of("default", 5)),
				db.dataSource(), (builder) -> builder.handler("long-tx", String.class, (payload, ctx) -> {
					runs.computeIfAbsent(ctx.jobId().value(), (k) -> new AtomicInteger()).incrementAndGet();
				}).handler("plain", String.class, (payload, ctx) -> {
					runs.computeIfAbsent(ctx.jobId().value(), (k) -> new AtomicInteger()).incrementAndGet();
				}));
		idle.start();
		awaitLeaseDurationsPassed(4, lease);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("completed") == 5);
		assertThat(runs.values()).as("runs per job").allSatisfy((count) -> assertThat(count).hasValue(1));
	}

	@Test
	void handlersHoldingEveryConnectionOfThePoolDoNotCostTheirNodeItsLeases() {
		HikariDataSource small = new HikariDataSource();
		small.setJdbcUrl(TestDatabase.jdbcUrl());
		small.setUsername(TestDatabase.sharedDataSource().getUsername());
		small.setPassword(TestDatabase.sharedDataSource().getPassword());
		small.setMaximumPoolSize(4);
		small.setConnectionTimeout(30_000);
		Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
		Duration lease = Duration.ofMillis(1500);
		try {
			PgQueue busy = node(db.settings().workerId("hog").leaseDuration(lease).heartbeatInterval(Duration.ofMillis(250))
				.notifyEnabled(false).queue(QueueSettings.of("default", 4)), small, (builder) -> builder
					.handler("hog", String.class, (payload, ctx) -> {
						runs.computeIfAbsent(ctx.jobId().value(), (k) -> new AtomicInteger()).incrementAndGet();
						// holds a connection of the worker's own pool for as long as it runs
						try (java.sql.Connection connection = small.getConnection()) {
							awaitRelease();
						}
					}));
			for (int i = 0; i < 4; i++) {
				busy.jobQueue().enqueue("hog", "x" + i);
			}
			busy.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> db.countJobs("running") == 4);
			PgQueue idle = node(db.settings().workerId("idle-2").leaseDuration(lease).heartbeatInterval(Duration.ofMillis(250)).queue(QueueSettings.of("default", 4)),
					db.dataSource(), (builder) -> builder.handler("hog", String.class, (payload, ctx) -> {
						runs.computeIfAbsent(ctx.jobId().value(), (k) -> new AtomicInteger()).incrementAndGet();
					}));
			idle.start();
			awaitLeaseDurationsPassed(4, lease);
			this.release.countDown();
			await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("completed") == 4);
			assertThat(runs.values()).as("runs per job").allSatisfy((count) -> assertThat(count).hasValue(1));
		}
		finally {
			this.release.countDown();
			this.nodes.forEach(PgQueue::stop);
			this.nodes.clear();
			small.close();
		}
	}

	private void awaitRelease() {
		try {
			this.release.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Waits, by the database's clock, until the oldest running job started that many leases ago. */
	private static void awaitLeaseDurationsPassed(int leases, Duration lease) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> db.jdbc()
				.sql("SELECT coalesce(bool_and(attempted_at < now() - :wait * interval '1 millisecond'), false) FROM "
						+ db.jobTable() + " WHERE attempted_at IS NOT NULL")
				.param("wait", leases * lease.toMillis())
				.query(Boolean.class)
				.single());
	}

	private PgQueue node(io.github.pgqueue.EngineSettings.Builder settings, javax.sql.DataSource dataSource,
			java.util.function.UnaryOperator<PgQueue.Builder> handlers) {
		PgQueue node = handlers.apply(PgQueue.builder(dataSource).settings(settings.build())).build();
		this.nodes.add(node);
		return node;
	}

}
