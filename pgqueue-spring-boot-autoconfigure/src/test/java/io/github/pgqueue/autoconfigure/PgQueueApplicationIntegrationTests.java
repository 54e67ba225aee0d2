package io.github.pgqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.Job;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole application on the auto-configuration: the schema applied at startup, handler beans
 * (one of them a transactional proxy) running enqueued jobs, meters, health and the endpoint over
 * HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = PgQueueApplicationIntegrationTests.TestApplication.class)
class PgQueueApplicationIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("pgqueue.schema", db::schema);
		// the application's own Liquibase, in the same schema, with its own changelog and history
		registry.add("spring.liquibase.default-schema", db::schema);
		registry.add("pgqueue.poll-interval", () -> "100ms");
		registry.add("pgqueue.retry.initial-backoff", () -> "50ms");
		registry.add("pgqueue.retry.max-attempts", () -> "2");
		registry.add("pgqueue.queues.default.concurrency", () -> "4");
		registry.add("pgqueue.queues.emails.concurrency", () -> "2");
		registry.add("pgqueue.queues.manual.concurrency", () -> "1");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pgqueue,metrics");
		// the endpoint's write operations are off unless turned on
		registry.add("management.endpoint.pgqueue.access", () -> "unrestricted");
		registry.add("pgqueue.periodic.tock.cron", () -> "* * * * * *");
		registry.add("pgqueue.periodic.tock.payload.source", () -> "application.yml");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@Autowired
	JobQueue jobQueue;

	@Autowired
	JobOperations jobOperations;

	@Autowired
	EmailJobs emailJobs;

	@Autowired
	TransactionalJobs transactionalJobs;

	@Autowired
	MeterRegistry meterRegistry;

	@Autowired
	PeriodicJobs periodicJobs;

	@LocalServerPort
	int port;

	@Test
	void aHandlerBeanRunsAnEnqueuedJobAndTheMetersCountIt() {
		JobId id = this.jobQueue.enqueue(JobRequest.of(new SendEmail("a@b.c", "Welcome"))
			.withOptions(EnqueueOptions.builder().queue("emails").build())).jobId();
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.COMPLETED);
		assertThat(this.emailJobs.sent).contains("a@b.c:Welcome:1");
		assertThat(this.meterRegistry.get("pgqueue.jobs.enqueued").tags("queue", "emails", "kind", "send-email")
			.counter()
			.count()).isEqualTo(1.0);
		assertThat(this.meterRegistry.get("pgqueue.jobs.completed").tags("queue", "emails", "kind", "send-email")
			.counter()
			.count()).isEqualTo(1.0);
		assertThat(this.meterRegistry.get("pgqueue.job.execution").tags("queue", "emails", "kind", "send-email")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meterRegistry.get("pgqueue.job.wait").tags("queue", "emails", "kind", "send-email")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void aProxiedHandlerBeanRunsAndFailuresAreCounted() {
		assertThat(AopUtils.isAopProxy(this.transactionalJobs)).isTrue();
		JobId id = this.jobQueue.enqueue("audit", Map.of("entry", "x"));
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.DEAD);
		assertThat(this.transactionalJobs.attempts()).containsExactly(1, 2);
		assertThat(this.meterRegistry.get("pgqueue.jobs.failed").tags("kind", "audit", "outcome", "retry")
			.counter()
			.count()).isEqualTo(1.0);
		assertThat(this.meterRegistry.get("pgqueue.jobs.failed").tags("kind", "audit", "outcome", "dead")
			.counter()
			.count()).isEqualTo(1.0);
	}

	@Test
	void periodicJobsFromTheAnnotationAndFromPropertiesRunOnEveryTick() {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.periodicJobs.ticks().size() >= 2 && this.periodicJobs.tocks().size() >= 2);
		assertThat(this.periodicJobs.tocks()).allSatisfy((payload) -> assertThat(payload).containsEntry("source", "application.yml"));
	}

	@Test
	void theEndpointShowsAJobsPayloadAsJson() {
		JobId id = this.jobQueue.enqueue(JobRequest.of("manual-only", Map.of("to", "a@b.c", "count", 2))
			.withOptions(EnqueueOptions.builder().queue("manual").runAt(java.time.Instant.now().plusSeconds(3600)).build()))
			.jobId();
		Map<String, Object> job = get("/actuator/pgqueue/" + id.value());
		assertThat(job.get("payload")).isInstanceOf(Map.class);
		assertThat(map(job.get("payload"))).containsEntry("to", "a@b.c").containsEntry("count", 2);
	}

	@Test
	void theDeadLetterIsListedAndRetriedByKindThroughTheEndpoint() {
		JobId id = this.jobQueue.enqueue("audit", Map.of("entry", "dead"));
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.DEAD);
		Map<String, Object> dead = get("/actuator/pgqueue/dead?kind=audit");
		assertThat(list(dead.get("jobs"))).extracting((job) -> map(job).get("id")).contains((int) id.value());
		Map<String, Object> retried = http().post()
			.uri("/actuator/pgqueue/dead")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("action", "retry", "kind", "audit"))
			.retrieve()
			.body(JSON);
		assertThat((Integer) retried.get("retried")).isPositive();
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.DEAD
				&& this.jobQueue.find(id).orElseThrow().errors().size() == 3);
		Map<String, Object> discarded = http().delete().uri("/actuator/pgqueue/{id}", id.value()).retrieve().body(JSON);
		assertThat(discarded.get("discarded")).isEqualTo(true);
		assertThat(this.jobQueue.find(id)).isEmpty();
	}

	@Test
	void theQueueDepthGaugeReadsTheTable() {
		this.jobOperations.pause("parked");
		this.jobQueue.enqueue("send-email", Map.of("to", "x", "subject", "y"),
				EnqueueOptions.builder().queue("parked").build());
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			var gauge = this.meterRegistry.find("pgqueue.queue.depth").tags("queue", "parked", "state", "available").gauge();
			return gauge != null && gauge.value() == 1.0;
		});
	}

	@Test
	void theApplicationsOwnLiquibaseAndPgqueuesMigrationLiveSideBySide() {
		JdbcClient jdbc = db.jdbc();
		assertThat(jdbc.sql("SELECT count(*) FROM " + db.schema() + ".databasechangelog").query(Long.class).single())
			.as("the application's history holds only its own change set")
			.isEqualTo(1);
		assertThat(jdbc.sql("SELECT count(*) FROM " + db.schema() + ".pgqueue_databasechangelog")
			.query(Long.class)
			.single()).as("pgqueue's own history holds its change sets").isPositive();
		assertThat(jdbc.sql("SELECT count(*) FROM " + db.schema() + ".app_note").query(Long.class).single()).isZero();
	}

	@Test
	void healthIsUpWithDetails() {
		Map<String, Object> health = get("/actuator/health/pgqueue");
		assertThat(health.get("status")).isEqualTo("UP");
		Map<String, Object> details = map(health.get("details"));
		assertThat(details.get("workerId")).isNotNull();
		assertThat(map(details.get("queues"))).containsKeys("default", "emails");
		assertThat(details).containsKeys("backlog", "dead");
	}

	@Test
	void theEndpointShowsQueuesAndJobsAndRetriesCancelsPausesAndResumes() {
		this.jobOperations.pause("manual");
		JobId id = this.jobQueue.enqueue("send-email", Map.of("to", "m", "subject", "s"),
				EnqueueOptions.builder().queue("manual").build()).jobId();

		Map<String, Object> overview = get("/actuator/pgqueue");
		assertThat(list(overview.get("pausedQueues"))).contains("manual");
		Map<String, Object> manual = map(map(overview.get("queues")).get("manual"));
		assertThat(manual.get("available")).isEqualTo(1);
		assertThat(manual).containsKeys("running", "completed", "dead", "cancelled", "oldestWaitingSeconds");

		Map<String, Object> job = get("/actuator/pgqueue/" + id.value());
		assertThat(job.get("id")).isEqualTo((int) id.value());
		assertThat(job.get("kind")).isEqualTo("send-email");
		assertThat(job.get("state")).isEqualTo("available");

		Map<String, Object> cancelled = post("/actuator/pgqueue/{id}", id.value(), "cancel");
		assertThat(cancelled.get("changed")).isEqualTo(true);
		assertThat(state(id)).isEqualTo(JobState.CANCELLED);
		post("/actuator/pgqueue/{id}", id.value(), "retry");
		assertThat(state(id)).isEqualTo(JobState.AVAILABLE);

		post("/actuator/pgqueue/queues/{queue}", "manual", "resume");
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.COMPLETED);
		post("/actuator/pgqueue/queues/{queue}", "manual", "pause");
		assertThat(list(get("/actuator/pgqueue").get("pausedQueues"))).contains("manual");

		Integer status = http().get()
			.uri("/actuator/pgqueue/{id}", Long.MAX_VALUE)
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(404);
	}

	private Map<String, Object> post(String uri, Object selector, String action) {
		return http().post()
			.uri(uri, selector)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("action", action))
			.retrieve()
			.body(JSON);
	}

	private Map<String, Object> get(String uri) {
		return http().get().uri(uri).retrieve().body(JSON);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (List<Object>) value;
	}

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private RestClient http() {
		return RestClient.create("http://localhost:" + this.port);
	}

	private JobState state(JobId id) {
		return this.jobQueue.find(id).orElseThrow().state();
	}

	@Job("send-email")
	record SendEmail(String to, String subject) {
	}

	@Component
	static class EmailJobs {

		final List<String> sent = new CopyOnWriteArrayList<>();

		@JobHandler
		void send(SendEmail email, JobContext ctx) {
			this.sent.add(email.to() + ":" + email.subject() + ":" + ctx.attempt());
		}

	}

	@Component
	static class TransactionalJobs {

		private final List<Integer> attempts = new CopyOnWriteArrayList<>();

		@Autowired
		private JdbcClient jdbc;

		// through the proxy: its own fields are not the target's
		public List<Integer> attempts() {
			return this.attempts;
		}

		@Transactional
		@JobHandler("audit")
		public void audit(Map<String, String> entry, JobContext ctx) {
			this.attempts.add(ctx.attempt());
			this.jdbc.sql("SELECT 1").query(Integer.class).single();
			throw new IllegalStateException("audit store unavailable");
		}

	}

	static class PeriodicJobs {

		private final List<Map<String, Object>> ticks = new CopyOnWriteArrayList<>();

		private final List<Map<String, Object>> tocks = new CopyOnWriteArrayList<>();

		@JobHandler(value = "tick", cron = "* * * * * *")
		void tick(Map<String, Object> payload) {
			this.ticks.add(payload);
		}

		@JobHandler("tock")
		void tock(Map<String, Object> payload) {
			this.tocks.add(payload);
		}

		List<Map<String, Object>> ticks() {
			return this.ticks;
		}

		List<Map<String, Object>> tocks() {
			return this.tocks;
		}

	}

	@SpringBootApplication
	static class TestApplication {

		@Bean
		PeriodicJobs periodicJobs() {
			return new PeriodicJobs();
		}

		@Bean
		EmailJobs emailJobs() {
			return new EmailJobs();
		}

		@Bean
		TransactionalJobs transactionalJobs() {
			return new TransactionalJobs();
		}

	}

}
