package io.github.pgqueue.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What health and the depth gauge read all the time: each queue's head from the claim and lease
 * indexes (the oldest waiting job across its priorities, available and running jobs up to a cap),
 * dead jobs up to a cap, and the finished jobs' estimates from the statistics, on a table whose
 * finished jobs a sequential scan would have to wade through.
 */
class QueryStoreHeadsIntegrationTests {

	private static final int FINISHED = 50_000;

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static JobStore store;

	@BeforeAll
	static void fill() {
		String job = db.jobTable();
		db.jdbc().sql("INSERT INTO " + job + " (queue, kind, state, attempt, max_attempts, finalized_at)"
				+ " SELECT 'default', 'k', 'completed', 1, 3, now() FROM generate_series(1, " + FINISHED + ")")
			.update();
		// the oldest waiting job of 'default' is at the lowest of its three priorities
		db.jdbc().sql("INSERT INTO " + job + " (queue, kind, priority, max_attempts, run_at)"
				+ " SELECT 'default', 'k', i % 3, 3, now() - CASE WHEN i % 3 = 0 THEN interval '1 hour'"
				+ " ELSE interval '1 minute' END - i * interval '1 ms' FROM generate_series(1, 30) AS i")
			.update();
		db.jdbc().sql("INSERT INTO " + job + " (queue, kind, max_attempts, run_at) VALUES"
				+ " ('unserved', 'k', 3, now() - interval '10 seconds'),"
				+ " ('later', 'k', 3, now() + interval '1 hour'), ('later', 'k', 3, now() + interval '2 hours')")
			.update();
		db.jdbc().sql("INSERT INTO " + job + " (queue, kind, state, attempt, max_attempts, lease_owner, lease_expires_at)"
				+ " SELECT 'default', 'k', 'running', 1, 3, 'w', now() + interval '1 minute'"
				+ " FROM generate_series(1, 3)")
			.update();
		db.jdbc().sql("INSERT INTO " + job + " (queue, kind, state, attempt, max_attempts, finalized_at)"
				+ " SELECT 'default', 'k', 'dead', 3, 3, now() FROM generate_series(1, 5)")
			.update();
		db.jdbc().sql("ANALYZE " + job).update();
		store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	@Test
	void eachQueuesHeadShowsItsOldestWaitingJobAcrossPrioritiesAndItsCounts() {
		Map<String, QueueHead> heads = byQueue(store.monitor().queueHeads(List.of("default", "idle"), 1000));

		assertThat(heads).containsOnlyKeys("default", "idle", "unserved", "later");
		QueueHead main = heads.get("default");
		assertThat(main.oldestWaiting()).isNotNull();
		assertThat(main.oldestWaiting().toSeconds()).isCloseTo(3600, within(60L));
		assertThat(main.available()).isEqualTo(30);
		assertThat(main.running()).isEqualTo(3);
		assertThat(heads.get("unserved").available()).isEqualTo(1);
		assertThat(heads.get("unserved").oldestWaiting()).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
		assertThat(heads.get("later").available()).isEqualTo(2);
		assertThat(heads.get("later").oldestWaiting()).as("only scheduled jobs: none waits").isNull();
		assertThat(heads.get("idle")).isEqualTo(new QueueHead("idle", null, 0, 0, 1000));
	}

	@Test
	void countsStopAtTheCap() {
		QueueHead main = byQueue(store.monitor().queueHeads(List.of("default"), 10)).get("default");
		assertThat(main.available()).isEqualTo(10);
		assertThat(main.availableCapped()).isTrue();
		assertThat(store.monitor().countDeadUpTo(3)).isEqualTo(3);
		assertThat(store.monitor().countDeadUpTo(1000)).isEqualTo(5);
	}

	@Test
	void finishedJobsAreEstimatedFromTheStatistics() {
		JobTableEstimate estimate = store.monitor().estimateJobTable();
		assertThat(estimate.rows()).isCloseTo(FINISHED + 41, within(FINISHED * 0.1));
		assertThat(estimate.finished("default", JobState.COMPLETED, 33)).isCloseTo(FINISHED,
				within((long) (FINISHED * 0.1)));
		assertThat(estimate.finished("default", JobState.DEAD, 33)).isLessThan(FINISHED / 100);
		assertThat(estimate.finished("default", JobState.AVAILABLE, 33)).as("not a finished state").isZero();
		assertThat(estimate.finished("nowhere", JobState.COMPLETED, 0)).isLessThan(FINISHED / 100);
	}

	@Test
	void theHeadsAreReadThroughTheIndexesAlone() {
		String plan = explain(MonitorStore.QUEUE_HEADS, Map.of("queues", new String[] { "default", "idle" }, "cap", 1000));
		assertThat(plan).contains("pgqueue_job_claim_idx")
			.contains("pgqueue_job_lease_idx")
			.doesNotContain("Seq Scan on pgqueue_job");
		assertThat(explain(MonitorStore.COUNT_DEAD_UP_TO, Map.of("cap", 1000))).contains("pgqueue_job_finalized_idx")
			.doesNotContain("Seq Scan on pgqueue_job");
	}

	private static Map<String, QueueHead> byQueue(List<QueueHead> heads) {
		return heads.stream().collect(Collectors.toMap(QueueHead::queue, Function.identity()));
	}

	private static String explain(String template, Map<String, ?> params) {
		List<String> lines = db.jdbc()
			.sql("EXPLAIN " + store.tables().sql(template))
			.params(params)
			.query(String.class)
			.list();
		return String.join("\n", lines);
	}

}
