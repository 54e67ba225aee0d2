package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.PgBouncerExtension;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application whose only DataSource goes through a real PgBouncer in transaction
 * mode, with the README's JDBC setting ({@code prepareThreshold=0}) and notify left on: the schema
 * is applied, every job completes exactly once with no {@code runOnce} step in doubt, and health
 * stays UP while saying that LISTEN cannot work there.
 */
@SpringBootTest(classes = PgBouncerApplicationIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "pgqueue.poll-interval=100ms",
				"pgqueue.queues.default.concurrency=6", "spring.datasource.hikari.maximum-pool-size=10",
				"spring.datasource.hikari.connection-timeout=2000" })
@DirtiesContext
class PgBouncerApplicationIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@RegisterExtension
	static final PgBouncerExtension bouncer = new PgBouncerExtension(3);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> bouncer.get().jdbcUrl("prepareThreshold=0"));
		registry.add("pgqueue.schema", db::schema);
	}

	@Autowired
	JobQueue jobQueue;

	@Autowired
	PgQueueHealthIndicator health;

	@Autowired
	EmailJobs emails;

	@Test
	void runsEveryJobOnceAndHealthSaysListenIsUnavailable() throws InterruptedException {
		int jobs = 200;
		Queue<String> submitFailures = new ConcurrentLinkedQueue<>();
		ExecutorService producers = Executors.newFixedThreadPool(4);
		for (int i = 0; i < jobs; i++) {
			int n = i;
			producers.execute(() -> {
				try {
					this.jobQueue.enqueue("send-email", n, EnqueueOptions.builder().idempotencyKey("email-" + n).build());
				}
				catch (RuntimeException ex) {
					submitFailures.add(ex.getMessage());
				}
			});
		}
		producers.shutdown();
		assertThat(producers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
		assertThat(submitFailures).as("submissions that failed").isEmpty();

		await().atMost(Duration.ofMinutes(2)).until(() -> count("state = 'completed'") == jobs);
		assertThat(count("true")).isEqualTo(jobs);
		assertThat(count("attempt <> 1 OR jsonb_array_length(errors) > 0")).as("jobs that failed an attempt").isZero();
		assertThat(this.emails.runs).hasSize(jobs).allSatisfy((id, runs) -> assertThat(runs).hasValue(1));
		assertThat(this.emails.sent).hasSize(jobs).allSatisfy((id, sent) -> assertThat(sent).hasValue(1));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> PgQueueHealthIndicator.NOTIFY_UNAVAILABLE.equals(this.health.health(true).getDetails().get("notify")));
		Health health = this.health.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat((String) health.getDetails().get("notify")).startsWith("unavailable (behind a transaction pooler?)")
			.contains("pgqueue.notify=false");
		assertThat(health.getDetails()).doesNotContainKey("statements");
	}

	private long count(String condition) {
		return db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " WHERE " + condition)
			.query(Long.class)
			.single();
	}

	@SpringBootApplication
	static class TestApplication {

		@Bean
		EmailJobs emailJobs() {
			return new EmailJobs();
		}

	}

	static class EmailJobs {

		final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

		final Map<Long, AtomicInteger> sent = new ConcurrentHashMap<>();

		@JobHandler("send-email")
		void send(Integer n, JobContext ctx) {
			this.runs.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
			ctx.runOnce("smtp", () -> this.sent.computeIfAbsent(ctx.jobId().value(), (id) -> new AtomicInteger())
				.incrementAndGet());
		}

	}

}
