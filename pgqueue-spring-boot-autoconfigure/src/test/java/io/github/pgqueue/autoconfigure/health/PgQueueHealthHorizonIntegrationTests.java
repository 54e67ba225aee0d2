package io.github.pgqueue.autoconfigure.health;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code pgqueue} health contributor names the oldest transaction holding the MVCC horizon back,
 * and warns (staying UP) once it is older than {@code pgqueue.health.horizon-warning}.
 */
@SpringBootTest(classes = PgQueueHealthHorizonIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "pgqueue.poll-interval=100ms",
				"pgqueue.health.horizon-warning=2s" })
class PgQueueHealthHorizonIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
		registry.add("pgqueue.schema", db::schema);
	}

	@Autowired
	PgQueueHealthIndicator health;

	@Test
	void warnsWhileARepeatableReadTransactionHoldsTheHorizonBack() throws Exception {
		try (Connection holder = db.dataSource().getConnection()) {
			holder.setAutoCommit(false);
			holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			long pid;
			try (Statement statement = holder.createStatement();
					var rs = statement.executeQuery("SELECT pg_backend_pid() FROM " + db.jobTable() + " RIGHT JOIN"
							+ " (SELECT 1) AS one ON true LIMIT 1")) {
				rs.next();
				pid = rs.getLong(1);
			}
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Health health = this.health.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				Map<String, Object> horizon = horizon(health);
				assertThat(horizon).containsEntry("pid", (int) pid).containsEntry("holder", "session");
				assertThat(horizon.get("warning")).asString().contains("horizon");
			});
			holder.commit();
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Health health = this.health.health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(horizon(health)).doesNotContainKey("warning");
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> horizon(Health health) {
		assertThat(health.getDetails().get("horizon")).as("%s", health.getDetails()).isInstanceOf(Map.class);
		return (Map<String, Object>) health.getDetails().get("horizon");
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
