package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;

import io.github.pgqueue.test.TcpProxy;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
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
 * The {@code pgqueue} health contributor follows the database: DOWN while it is unreachable, UP
 * again once it is back, with the worker polling again on its own.
 */
@SpringBootTest(classes = PgQueueHealthIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "pgqueue.poll-interval=100ms",
				"spring.datasource.hikari.connection-timeout=1000",
				"spring.datasource.hikari.validation-timeout=500" })
class PgQueueHealthIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	static final TcpProxy proxy = TcpProxy.forTestDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", proxy::jdbcUrl);
		registry.add("pgqueue.schema", db::schema);
	}

	@AfterAll
	static void closeProxy() {
		proxy.close();
	}

	@Autowired
	PgQueueHealthIndicator health;

	@Test
	void goesDownWhenTheDatabaseGoesAwayAndUpWhenItReturns() {
		assertThat(this.health.health(true).getStatus()).isEqualTo(Status.UP);

		proxy.cut();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.health.health(true).getStatus().equals(Status.DOWN));
		Health down = this.health.health(true);
		assertThat(down.getDetails()).containsKey("database");

		proxy.restore();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.health.health(true).getStatus().equals(Status.UP));
		assertThat(this.health.health(true).getDetails()).containsKeys("workerId", "queues", "backlog", "dead");
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
