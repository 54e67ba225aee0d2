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
 * While the database is unreachable, the {@code pgqueue} health contributor answers DOWN within its own
 * short timeout ({@code pgqueue.health.timeout}, 500 ms by default), from the worker's own state and
 * a round trip that it does not wait on for long, rather than after the pool's connection timeout
 * (30 s here, so that the difference cannot be mistaken for a slow machine).
 */
@SpringBootTest(classes = PgQueueHealthDownFastIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "pgqueue.poll-interval=100ms",
				"spring.datasource.hikari.connection-timeout=30000",
				"spring.datasource.hikari.validation-timeout=500" })
class PgQueueHealthDownFastIntegrationTests {

	/** Well under a probe's usual timeout and the pool's connection timeout; generous for a busy machine. */
	private static final Duration BOUND = Duration.ofMillis(2500);

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
	void answersDownWithinItsOwnTimeoutWhileTheDatabaseIsUnreachable() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.health.health(true).getStatus().equals(Status.UP));

		proxy.cut();
		try {
			// the pool's idle connections fail at once, each as it is found broken; then the pool waits to
			// connect, which is the wait health must not share
			boolean waitedOnThePool = false;
			for (int probe = 0; probe < 30 && !waitedOnThePool; probe++) {
				long started = System.nanoTime();
				Health down = this.health.health(true);
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				assertThat(down.getStatus()).as("probe %d: %s", probe, down.getDetails()).isEqualTo(Status.DOWN);
				assertThat(took).as("probe %d answered DOWN after", probe).isLessThan(BOUND);
				assertThat(down.getDetails()).containsKey("database");
				waitedOnThePool = String.valueOf(down.getDetails().get("database")).startsWith("no answer within");
			}
			assertThat(waitedOnThePool).as("a probe found the pool waiting to connect").isTrue();
		}
		finally {
			proxy.restore();
		}
		await().atMost(Duration.ofSeconds(40)).until(() -> this.health.health(true).getStatus().equals(Status.UP));
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
