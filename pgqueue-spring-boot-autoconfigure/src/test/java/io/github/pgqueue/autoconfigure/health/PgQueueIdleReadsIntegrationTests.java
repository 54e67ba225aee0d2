package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.util.Map;

import io.github.pgqueue.Job;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.autoconfigure.metrics.PgQueueMetrics;
import io.github.pgqueue.test.TestDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What runs all the time on an idle node (health probes, the depth gauge's refreshes, the worker's
 * polls) reads a bounded number of the job table's tuples, however many finished jobs it retains:
 * with a million completed jobs, far fewer tuples than one read of the table.
 */
class PgQueueIdleReadsIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(PgQueueIdleReadsIntegrationTests.class);

	private static final int RETAINED = 1_000_000;

	/** Far below one read of the table: what a few index descents per call give. */
	private static final long READ_BOUND = 10_000;

	private static final String APPLICATION_NAME = "pgqueue-idle-reads-test";

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Test
	void anIdleNodeReadsFewTuplesOfATableRetainingAMillionJobs() {
		JdbcClient jdbc = db.jdbc();
		// finished within the last 50 minutes: none past the default one hour retention, so none pruned
		jdbc.sql("INSERT INTO " + db.jobTable() + " (queue, kind, state, attempt, max_attempts, run_at, created_at,"
				+ " attempted_at, finalized_at)"
				+ " SELECT 'default', 'noop', 'completed', 1, 3, t, t, t, t"
				+ " FROM (SELECT now() - (i % 3000) * interval '1 second' AS t"
				+ "       FROM generate_series(1, " + RETAINED + ") AS i) AS g")
			.update();
		jdbc.sql("VACUUM ANALYZE " + db.jobTable()).update();
		Reads before = reads(jdbc);

		try (ConfigurableApplicationContext context = application()) {
			PgQueueHealthIndicator health = context.getBean(PgQueueHealthIndicator.class);
			PgQueueMetrics metrics = context.getBean(PgQueueMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int probe = 0; probe < 12; probe++) {
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
				metrics.refreshDepth();
			}
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Gauge completed = registry.find("pgqueue.queue.depth")
					.tags("queue", "default", "state", "completed")
					.gauge();
				assertThat(completed).isNotNull();
				assertThat(completed.value()).as("the completed jobs' estimate").isBetween(0.9 * RETAINED,
						1.1 * RETAINED);
			});
			assertThat(health.health(true).getDetails()).containsKeys("queues", "backlog", "dead");
		}
		// the application's sessions flush their statistics as they end
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
				.param("name", APPLICATION_NAME)
				.query(Long.class)
				.single() == 0);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			Reads after = reads(jdbc);
			logger.info("Job table tuples read by an idle node: {}", after.minus(before));
			assertThat(after.minus(before).total()).as("job table tuples read while idle: %s", after.minus(before))
				.isLessThan(READ_BOUND);
		});
	}

	private static ConfigurableApplicationContext application() {
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(Map.of("spring.datasource.url", withApplicationName(TestDatabase.jdbcUrl()),
					"spring.liquibase.enabled", "false", "pgqueue.schema", db.schema(), "pgqueue.poll-interval",
					"100ms", "pgqueue.reaper-interval", "200ms"))
			.run();
	}

	private static String withApplicationName(String url) {
		return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
	}

	private static Reads reads(JdbcClient jdbc) {
		return jdbc.sql("""
				SELECT (SELECT pg_stat_clear_snapshot()) IS NULL AS cleared,
				       COALESCE(t.seq_tup_read, 0) AS seq_tup_read, COALESCE(t.idx_tup_fetch, 0) AS idx_tup_fetch,
				       (SELECT COALESCE(sum(i.idx_tup_read), 0) FROM pg_stat_user_indexes AS i
				        WHERE i.relid = t.relid) AS idx_tup_read
				FROM pg_stat_user_tables AS t
				WHERE t.schemaname = :schema AND t.relname = 'pgqueue_job'
				""")
			.param("schema", db.schema())
			.query((rs, row) -> new Reads(rs.getLong("seq_tup_read"), rs.getLong("idx_tup_fetch"),
					rs.getLong("idx_tup_read")))
			.single();
	}

	record Reads(long seqTupRead, long idxTupFetch, long idxTupRead) {

		Reads minus(Reads other) {
			return new Reads(this.seqTupRead - other.seqTupRead, this.idxTupFetch - other.idxTupFetch,
					this.idxTupRead - other.idxTupRead);
		}

		long total() {
			return this.seqTupRead + this.idxTupFetch + this.idxTupRead;
		}

	}

	@Job("noop")
	record Noop() {
	}

	static class NoopJobs {

		@JobHandler
		void run(Noop noop) {
		}

	}

	@SpringBootApplication
	static class TestApplication {

		@Bean
		NoopJobs noopJobs() {
			return new NoopJobs();
		}

	}

}
