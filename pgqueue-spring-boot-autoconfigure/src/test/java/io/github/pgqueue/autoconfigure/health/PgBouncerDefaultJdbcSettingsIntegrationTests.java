package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.PgBouncerExtension;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same application through PgBouncer in transaction mode but with the driver's default
 * {@code prepareThreshold}: statements fail there, and health names what to set.
 */
@SpringBootTest(classes = PgBouncerDefaultJdbcSettingsIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "pgqueue.migrate=false", "pgqueue.notify=false",
				"pgqueue.poll-interval=50ms", "spring.datasource.hikari.maximum-pool-size=10",
				"spring.datasource.hikari.connection-timeout=2000" })
@DirtiesContext
class PgBouncerDefaultJdbcSettingsIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@RegisterExtension
	static final PgBouncerExtension bouncer = new PgBouncerExtension(3);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> bouncer.get().jdbcUrl(""));
		registry.add("pgqueue.schema", db::schema);
	}

	@Autowired
	JobQueue jobQueue;

	@Autowired
	PgQueueHealthIndicator health;

	@Test
	void healthNamesWhatToSetOnceAStatementFailsForThatReason() {
		assertThat(this.health.health(true).getDetails()).doesNotContainKey("statements");

		// concurrent submissions, as an HTTP service's: their transactions interleave on PgBouncer's server connections
		ExecutorService producers = Executors.newFixedThreadPool(4);
		try {
			await().atMost(Duration.ofMinutes(1)).until(() -> {
				List<Future<?>> batch = new ArrayList<>();
				for (int i = 0; i < 40; i++) {
					int n = i;
					batch.add(producers.submit(() -> this.jobQueue.enqueue("send-email", n)));
				}
				for (Future<?> submitted : batch) {
					try {
						submitted.get();
					}
					catch (ExecutionException ex) {
						// the failure this test is about
					}
				}
				return this.health.health(true).getDetails().containsKey("statements");
			});
		}
		finally {
			producers.shutdownNow();
		}
		assertThat((String) this.health.health(true).getDetails().get("statements"))
			.contains("prepareThreshold=0 in the JDBC URL (PgBouncer before 1.21)", "max_prepared_statements");
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
