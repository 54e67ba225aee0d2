package io.github.pgqueue.autoconfigure;

import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.actuate.PgQueueEndpoint;
import io.github.pgqueue.autoconfigure.health.PgQueueHealthIndicator;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue whose jobs wait though no queue of this node's configuration names it shows in the health
 * details and the {@code pgqueue} endpoint as unserved; a configured queue never does.
 */
@SpringBootTest(classes = UnservedQueueIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "pgqueue.queues.emails.concurrency=1",
				"management.endpoints.web.exposure.include=health,pgqueue" })
class UnservedQueueIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
		registry.add("pgqueue.schema", db::schema);
	}

	@Autowired
	JobQueue jobQueue;

	@Autowired
	PgQueueHealthIndicator health;

	@Autowired
	PgQueueEndpoint endpoint;

	@Test
	void aQueueWithWaitingJobsThatNoConfigurationNamesIsShownAsUnserved() {
		// later than now, so that no worker of this node could have taken them meanwhile
		EnqueueOptions later = EnqueueOptions.builder().delay(java.time.Duration.ofHours(1)).build();
		this.jobQueue.enqueue("x", "p", later.toBuilder().queue("nowhere").build());
		this.jobQueue.enqueue("x", "p", later.toBuilder().queue("emails").build());
		this.jobQueue.enqueue("x", "p", later);
		Map<String, Object> details = this.health.health(true).getDetails();
		assertThat(details).containsEntry("unservedQueues", java.util.List.of("nowhere"));
		assertThat(this.endpoint.queues()).containsEntry("unservedQueues", java.util.List.of("nowhere"));
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
