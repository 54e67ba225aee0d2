package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.pgqueue.schedule.PeriodicScheduler;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Periodic jobs: one job per tick however many nodes run, and the missed-tick policies.
 */
class PeriodicJobIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> nodes = new ArrayList<>();

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		db.jdbc().sql("DELETE FROM " + db.schema() + ".pgqueue_periodic").update();
	}

	@AfterEach
	void stop() {
		this.nodes.forEach(PgQueue::stop);
	}

	@Test
	void threeNodesWithTheSamePeriodicJobEnqueueOneJobPerTick() {
		for (int i = 0; i < 3; i++) {
			PgQueue node = PgQueue.builder(db.dataSource())
				.settings(db.settings().workerId("node-" + i).pollInterval(Duration.ofMillis(50)).build())
				.handler("report", Object.class, (payload, ctx) -> {
				})
				.periodic(PeriodicJob.of("report", Schedule.every(Duration.ofSeconds(1))))
				.build();
			this.nodes.add(node);
			node.start();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> db.countJobs() >= 4);
		this.nodes.forEach(PgQueue::stop);

		// each job's tick from its idempotency key: a job released by a stopping node is due again
		// from that moment (its run_at moves), but it is still its tick's one job
		List<Instant> ticks = db.jdbc()
			.sql("SELECT idempotency_key FROM " + db.jobTable() + " WHERE kind = 'report'")
			.query(String.class)
			.list()
			.stream()
			.map((key) -> Instant.ofEpochMilli(Long.parseLong(key.substring("periodic:report:".length()))))
			.sorted()
			.toList();
		assertThat(ticks).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4);
		for (int i = 1; i < ticks.size(); i++) {
			assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("no tick missed, none doubled")
				.isEqualTo(Duration.ofSeconds(1));
		}
		assertThat(ticks).allSatisfy((tick) -> assertThat(tick.toEpochMilli() % 1000).isZero());
		assertThat(db.jdbc()
			.sql("SELECT count(DISTINCT idempotency_key) FROM " + db.jobTable() + " WHERE kind = 'report'")
			.query(Long.class)
			.single()).isEqualTo(ticks.size());
	}

	@Test
	void missedTicksAreSkippedOrRunOnceOrAllByPolicy() {
		assertThat(runMissed(MissedTicks.SKIP)).isZero();
		assertThat(runMissed(MissedTicks.ONCE)).isEqualTo(1);
		assertThat(runMissed(MissedTicks.ALL)).isEqualTo(5);
	}

	@Test
	void aNewPeriodicJobDoesNotCatchUpOnTicksFromBeforeItExisted() {
		PeriodicScheduler scheduler = scheduler(new PeriodicJob("fresh", "report", java.util.Map.of(), "default",
				Schedule.every(Duration.ofSeconds(1)), MissedTicks.ALL));
		assertThat(scheduler.runOnce()).isZero();
	}

	// every node was down for the last hour, in which five ticks came, each over 30 s ago
	private int runMissed(MissedTicks policy) {
		String name = "missed-" + policy.name().toLowerCase();
		Instant now = db.jdbc().sql("SELECT now()").query(OffsetDateTime.class).single().toInstant();
		List<Instant> ticks = List.of(now.minusSeconds(3000), now.minusSeconds(2400), now.minusSeconds(1800),
				now.minusSeconds(1200), now.minusSeconds(600));
		Schedule schedule = (after) -> ticks.stream().filter((tick) -> tick.isAfter(after)).findFirst()
			.or(() -> Optional.of(now.plusSeconds(3600)));
		db.jdbc()
			.sql("INSERT INTO " + db.schema() + ".pgqueue_periodic (name, last_tick) VALUES (:name, now() - interval '1 hour')")
			.param("name", name)
			.update();
		int enqueued = scheduler(new PeriodicJob(name, "report", java.util.Map.of(), "default", schedule, policy))
			.runOnce();
		assertThat(db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE idempotency_key LIKE :prefix")
			.param("prefix", "periodic:" + name + ":%")
			.query(Long.class)
			.single()).isEqualTo(enqueued);
		assertThat(db.jdbc()
			.sql("SELECT last_tick FROM " + db.schema() + ".pgqueue_periodic WHERE name = :name")
			.param("name", name)
			.query(OffsetDateTime.class)
			.single()
			.toInstant()).as("the last tick is recorded whatever the policy").isEqualTo(ticks.get(4));
		return enqueued;
	}

	private PeriodicScheduler scheduler(PeriodicJob job) {
		PgQueue pgQueue = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build();
		return new PeriodicScheduler(db.dataSource(), new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build()).periodic(),
				pgQueue.jobQueue(), List.of(job));
	}

}
