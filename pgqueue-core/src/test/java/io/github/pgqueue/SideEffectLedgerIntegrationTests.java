package io.github.pgqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import io.github.pgqueue.test.ChildProcess;
import io.github.pgqueue.test.ChildWorker;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ctx.runOnce}: effects never repeat once recorded, across real crashes ({@code kill -9} of a
 * worker JVM), retries and workers; an effect whose outcome a crash left unknown is in doubt.
 */
class SideEffectLedgerIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> workers = new ArrayList<>();

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		db.jdbc().sql("DROP TABLE IF EXISTS " + db.schema() + ".effects").update();
		db.jdbc()
			.sql("CREATE TABLE " + db.schema() + ".effects (job_id bigint, step text, worker text, at timestamptz DEFAULT now())")
			.update();
	}

	@AfterEach
	void tearDown() {
		this.workers.forEach(PgQueue::stop);
	}

	@Test
	void aWorkerKilledAfterRecordingTheEffectLeavesItForTheNextWorkerToSkip() {
		JobId id = enqueueCharge();
		try (ChildProcess child = ChildProcess.start(ChildWorker.class, TestDatabase.jdbcUrl(), db.schema(), "after-effect")) {
			child.awaitLine(ChildWorker.EFFECT_RECORDED, Duration.ofSeconds(30));
			child.kill9();
			assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
		}
		List<String> results = new java.util.concurrent.CopyOnWriteArrayList<>();
		startWorker("survivor", RunOnce.AT_MOST_ONCE, results);

		JobInfo job = awaitFinal(id);
		assertThat(job.state()).isEqualTo(JobState.COMPLETED);
		assertThat(job.attempt()).isEqualTo(2);
		assertThat(effects(id)).containsExactly("charge:child");
		assertThat(results).as("the recorded result, read back").containsExactly("receipt-" + id);
		assertThat(job.sideEffect("charge").orElseThrow().state()).isEqualTo(SideEffectState.SUCCEEDED);
	}

	@Test
	void aWorkerKilledInsideTheEffectLeavesItInDoubtAndTheJobGoesDeadNamingTheKey() {
		JobId id = enqueueCharge();
		killInsideEffect();
		startWorker("survivor", RunOnce.AT_MOST_ONCE, new ArrayList<>());

		JobInfo job = awaitFinal(id);
		assertThat(job.state()).isEqualTo(JobState.DEAD);
		assertThat(job.errors()).last().satisfies((error) -> assertThat(error.message())
			.contains("side effect 'charge'").contains("in doubt"));
		assertThat(job.sideEffect("charge").orElseThrow().state()).isEqualTo(SideEffectState.IN_DOUBT);
		assertThat(effects(id)).as("never run a second time").containsExactly("charge:child");
	}

	@Test
	void retryInDoubtRunsTheEffectAgainAfterAKillInsideIt() {
		JobId id = enqueueCharge();
		killInsideEffect();
		startWorker("survivor", RunOnce.RETRY_IN_DOUBT, new ArrayList<>());

		JobInfo job = awaitFinal(id);
		assertThat(job.state()).isEqualTo(JobState.COMPLETED);
		assertThat(effects(id)).containsExactly("charge:child", "charge:survivor");
		assertThat(job.sideEffect("charge").orElseThrow().state()).isEqualTo(SideEffectState.SUCCEEDED);
	}

	@Test
	void thousandJobsWithTwoStepsAcrossThreeWorkersWithRandomFailuresRunEachEffectOnce() {
		int jobs = 1000;
		Map<Long, Set<String>> keys = new ConcurrentHashMap<>();
		for (int w = 0; w < 3; w++) {
			String name = "w" + w;
			PgQueue worker = PgQueue.builder(db.dataSource())
				.settings(db.settings()
					.workerId(name)
					.pollInterval(Duration.ofMillis(50))
					.retry(new RetrySettings(50, Duration.ofMillis(10), 1.5, Duration.ofMillis(200), 0.5))
					.queue(QueueSettings.of("default", 6))
					.build())
				.handler("two-steps", Integer.class, (n, ctx) -> {
					keys.computeIfAbsent(ctx.jobId().value(), (id) -> ConcurrentHashMap.newKeySet())
						.add(ctx.sideEffectKey("a"));
					ctx.runOnce("a", () -> effect(ctx, "a", name));
					if (ThreadLocalRandom.current().nextDouble() < 0.3) {
						throw new IllegalStateException("failure after the first step");
					}
					ctx.runOnce("b", () -> effect(ctx, "b", name));
					if (ThreadLocalRandom.current().nextDouble() < 0.1) {
						throw new IllegalStateException("failure after the second step");
					}
				})
				.build();
			this.workers.add(worker);
		}
		this.workers.get(0)
			.jobQueue()
			.enqueueAll(IntStream.range(0, jobs).mapToObj((i) -> JobRequest.of("two-steps", i)).toList());
		this.workers.forEach(PgQueue::start);

		await().atMost(Duration.ofMinutes(3)).until(() -> db.countJobs("completed") == jobs);

		assertThat(db.jdbc()
			.sql("SELECT count(*) FROM (SELECT job_id, step FROM " + db.schema()
					+ ".effects GROUP BY job_id, step HAVING count(*) > 1) AS repeated")
			.query(Long.class)
			.single()).as("effects run more than once").isZero();
		assertThat(db.jdbc().sql("SELECT count(*) FROM " + db.schema() + ".effects").query(Long.class).single())
			.isEqualTo(2L * jobs);
		assertThat(db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE jsonb_array_length(errors) > 0")
			.query(Long.class)
			.single()).as("the random failures happened").isPositive();
		assertThat(keys.values()).as("sideEffectKey is stable across attempts and workers")
			.allSatisfy((set) -> assertThat(set).hasSize(1));
		assertThat(keys.values().stream().flatMap(Set::stream).distinct().count()).as("and unique per job")
			.isEqualTo(jobs);
	}

	@Test
	void ledgerRowsGoAwayWithTheirPrunedJob() {
		PgQueue worker = PgQueue.builder(db.dataSource())
			.settings(db.settings().retention(new RetentionSettings(Duration.ZERO, Duration.ZERO, Duration.ZERO)).build())
			.handler("once", String.class, (payload, ctx) -> ctx.runOnce("step", () -> "done"))
			.build();
		this.workers.add(worker);
		JobId id = worker.jobQueue().enqueue("once", "x");
		worker.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> countLedgerRows(id) == 1 || worker.jobQueue().find(id).isEmpty());
		await().atMost(Duration.ofSeconds(10)).until(() -> worker.jobQueue().find(id).isEmpty());
		assertThat(countLedgerRows(id)).isZero();
	}

	private long countLedgerRows(JobId id) {
		return db.jdbc()
			.sql("SELECT count(*) FROM " + db.schema() + ".pgqueue_side_effect WHERE job_id = :id")
			.param("id", id.value())
			.query(Long.class)
			.single();
	}

	private String effect(JobContext ctx, String step, String worker) {
		db.jdbc()
			.sql("INSERT INTO " + db.schema() + ".effects (job_id, step, worker) VALUES (:job, :step, :worker)")
			.param("job", ctx.jobId().value())
			.param("step", step)
			.param("worker", worker)
			.update();
		return step;
	}

	private void killInsideEffect() {
		try (ChildProcess child = ChildProcess.start(ChildWorker.class, TestDatabase.jdbcUrl(), db.schema(), "inside-effect")) {
			child.awaitLine(ChildWorker.INSIDE_EFFECT, Duration.ofSeconds(30));
			child.kill9();
		}
	}

	private JobId enqueueCharge() {
		return PgQueue.builder(db.dataSource())
			.settings(db.settings().build())
			.build()
			.jobQueue()
			.enqueue(ChildWorker.KIND, "order-1");
	}

	private void startWorker(String name, RunOnce policy, List<String> results) {
		PgQueue worker = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId(name).build())
			.handler(ChildWorker.KIND, String.class, (payload, ctx) -> results
				.add(ctx.runOnce("charge", policy, () -> effect(ctx, "charge", name))))
			.build();
		this.workers.add(worker);
		worker.start();
	}

	private JobInfo awaitFinal(JobId id) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> db.jdbc()
				.sql("SELECT state IN ('completed', 'dead') FROM " + db.jobTable() + " WHERE id = :id")
				.param("id", id.value())
				.query(Boolean.class)
				.single());
		return PgQueue.builder(db.dataSource()).settings(db.settings().build()).build().jobQueue().find(id).orElseThrow();
	}

	private List<String> effects(JobId id) {
		return db.jdbc()
			.sql("SELECT step || ':' || worker FROM " + db.schema() + ".effects WHERE job_id = :id ORDER BY at")
			.param("id", id.value())
			.query(String.class)
			.list();
	}

}
