package io.github.pgqueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.claim.NotificationListener;
import io.github.pgqueue.store.PoolerDiagnosis;
import io.github.pgqueue.test.LogCapture;
import io.github.pgqueue.test.PgBouncer;
import io.github.pgqueue.test.PgBouncerExtension;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * pgqueue behind a real PgBouncer (Debian's package, 1.18 on Debian 12: before 1.21's
 * {@code max_prepared_statements}) in transaction pooling mode, where every transaction may run on
 * another server connection. With the README's settings ({@code prepareThreshold=0},
 * {@code notify=false}) submissions, claims, the {@code runOnce} ledger and completions all go
 * through it with no false failure; with the driver's defaults they fail for the known reason.
 */
class PgBouncerIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(PgBouncerIntegrationTests.class);

	/** The README's PgBouncer setting for the JDBC URL, before PgBouncer 1.21. */
	static final String RECOMMENDED = "prepareThreshold=0";

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	// fewer server connections than clients: consecutive transactions of one client land on different ones
	@RegisterExtension
	static final PgBouncerExtension pgBouncer = new PgBouncerExtension(3);

	private PgBouncer bouncer;

	private HikariDataSource dataSource;

	private PgQueue pgQueue;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		this.bouncer = pgBouncer.get();
	}

	@AfterEach
	void stop() {
		if (this.pgQueue != null) {
			this.pgQueue.stop();
		}
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@Test
	void everyJobCompletesExactlyOnceWithTheRecommendedSettings() throws Exception {
		int jobs = 300;
		Workload workload = start(RECOMMENDED);
		workload.submit(jobs);

		assertThat(workload.submitFailures).as("submissions that failed").isEmpty();
		await().atMost(Duration.ofMinutes(2))
			.alias("all " + jobs + " jobs completed; states now " + states())
			.until(() -> db.countJobs("completed") == jobs);
		assertThat(db.countJobs()).isEqualTo(jobs);
		assertThat(workload.runs).hasSize(jobs).allSatisfy((id, runs) -> assertThat(runs).hasValue(1));
		assertThat(workload.sent).hasSize(jobs).allSatisfy((id, sent) -> assertThat(sent).hasValue(1));
		assertThat(db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE attempt <> 1 OR jsonb_array_length(errors) > 0")
			.query(Long.class)
			.single()).as("jobs that failed an attempt").isZero();
		assertThat(db.countJobs("dead")).isZero();
		assertThat(this.pgQueue.worker().stats().pollFailures()).as("failed polls").isZero();
	}

	// the test above can fail for the reason it guards against: with the driver's default
	// prepareThreshold (5), statements become named server-side prepared statements that PgBouncer
	// 1.18 runs on whichever server connection is free; pgqueue says once what to set
	@Test
	void theDefaultJdbcSettingsFailThroughThePoolerAndPgQueueSaysWhatToSet() throws Exception {
		try (LogCapture log = LogCapture.of(PoolerDiagnosis.class)) {
			Workload workload = start("");

			// most statements that fail say only "current transaction is aborted" (25P02): their server
			// connection's transaction was aborted by an earlier failure, which names the cause; submit
			// until one such failure is seen
			await().atMost(Duration.ofMinutes(1))
				.alias("a statement failing because of server-side prepared statements")
				.until(() -> {
					workload.submit(100);
					return seen(workload).stream().anyMatch((failure) -> failure.contains("already exists")
							|| failure.contains("bind message supplies") || failure.contains("does not exist"));
				});
			logger.info("With the default JDBC settings behind PgBouncer: {} failed submission(s), {} failed poll(s), "
					+ "job errors and submissions: {}", workload.submitFailures.size(),
					this.pgQueue.worker().stats().pollFailures(), seen(workload));

			PoolerDiagnosis diagnosis = this.pgQueue.store().poolerDiagnosis();
			await().atMost(Duration.ofSeconds(10)).until(() -> diagnosis.problem().isPresent());
			assertThat(diagnosis.problem()).hasValueSatisfying((problem) -> assertThat(problem)
				.contains("prepareThreshold=0", "max_prepared_statements", "SQLSTATE"));
			assertThat(diagnosis.failures()).isGreaterThan(0);
			assertThat(log.warnings()).as("what pgqueue logged")
				.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
				.contains("prepareThreshold=0 in the JDBC URL (PgBouncer before 1.21)",
						"max_prepared_statements in pgbouncer.ini (PgBouncer 1.21 and later)");
		}
	}

	@Test
	void theRecommendedSettingsAreNotDiagnosedAsAPoolerProblem() throws Exception {
		Workload workload = start(RECOMMENDED);
		workload.submit(50);
		await().atMost(Duration.ofMinutes(1)).until(() -> db.countJobs("completed") == 50);
		assertThat(this.pgQueue.store().poolerDiagnosis().problem()).isEmpty();
	}

	// LISTEN runs on whichever server connection is free and stays there; the notification reaches
	// PgBouncer when no client is linked to that connection ("got packet 'A' from server when not
	// linked") and is lost: pgqueue must say so rather than believe it is listening
	@Test
	void aListenBehindThePoolerIsReportedUnavailableWhilePollingGoesOn() throws Exception {
		try (LogCapture log = LogCapture.of(NotificationListener.class)) {
			Workload workload = start(RECOMMENDED, true);

			await().atMost(Duration.ofSeconds(30))
				.alias("the listener finding that its own notification never arrives")
				.until(() -> this.pgQueue.worker().notifications() == NotificationListener.State.UNAVAILABLE);
			assertThat(this.pgQueue.isListening()).isFalse();
			assertThat(log.warnings()).as("what the listener logged")
				.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
				.contains("pgqueue.notify=false", "direct connection");

			workload.submit(20);
			await().atMost(Duration.ofMinutes(1)).until(() -> db.countJobs("completed") == 20);
		}
	}

	@Test
	void aListenOnADirectConnectionPassesTheSameCheck() {
		try (LogCapture log = LogCapture.of(NotificationListener.class)) {
			this.pgQueue = PgQueue.builder(db.dataSource())
				.settings(db.settings().notifyEnabled(true).queue(QueueSettings.of("default", 2)).build())
				.handler("send-email", Integer.class, (n, ctx) -> {
				})
				.build();
			this.pgQueue.start();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.pgQueue.worker().notifications() == NotificationListener.State.LISTENING);
			assertThat(this.pgQueue.isListening()).isTrue();
			assertThat(log.warnings()).isEmpty();
		}
	}

	private Workload start(String jdbcParameters) {
		return start(jdbcParameters, false);
	}

	private Workload start(String jdbcParameters, boolean notify) {
		this.dataSource = this.bouncer.dataSource(jdbcParameters, 10);
		Workload workload = new Workload();
		this.pgQueue = PgQueue.builder(this.dataSource)
			.settings(db.settings()
				.notifyEnabled(notify)
				.pollInterval(Duration.ofMillis(50))
				.queue(QueueSettings.of("default", 6))
				.build())
			.handler("send-email", Integer.class, (n, ctx) -> {
				workload.runs.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
				ctx.runOnce("smtp", () -> workload.sent.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger())
					.incrementAndGet());
			})
			.build();
		this.pgQueue.start();
		workload.queue = this.pgQueue.jobQueue();
		return workload;
	}

	// what failed: the submissions, and the job attempts' errors
	private static List<String> seen(Workload workload) {
		List<String> seen = new java.util.ArrayList<>(workload.submitFailures);
		seen.addAll(db.jdbc()
			.sql("SELECT e->>'message' FROM " + db.jobTable() + ", jsonb_array_elements(errors) e")
			.query(String.class)
			.list());
		return seen;
	}

	private Map<String, Long> states() {
		Map<String, Long> states = new java.util.TreeMap<>();
		for (String state : List.of("available", "running", "completed", "dead", "cancelled")) {
			states.put(state, db.countJobs(state));
		}
		return states;
	}

	/** Submissions from several threads, as an HTTP service's requests, and what the handler saw. */
	private static final class Workload {

		final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

		final Map<Long, AtomicInteger> sent = new ConcurrentHashMap<>();

		final Queue<String> submitFailures = new ConcurrentLinkedQueue<>();

		JobQueue queue;

		void submit(int jobs) throws InterruptedException {
			ExecutorService producers = Executors.newFixedThreadPool(4);
			for (int i = 0; i < jobs; i++) {
				int n = i;
				producers.execute(() -> {
					try {
						this.queue.enqueue("send-email", n,
								EnqueueOptions.builder().idempotencyKey("email-" + n).build());
					}
					catch (RuntimeException ex) {
						this.submitFailures.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
					}
				});
			}
			producers.shutdown();
			assertThat(producers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
		}

	}

}
