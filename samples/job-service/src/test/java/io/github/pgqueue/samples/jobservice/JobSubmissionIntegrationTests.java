package io.github.pgqueue.samples.jobservice;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.github.pgqueue.JobId;
import io.github.pgqueue.samples.jobservice.jobs.SendEmail;
import io.github.pgqueue.test.TestDatabase;
import io.github.pgqueue.testing.PgQueueTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.pgqueue.testing.PgQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code POST /jobs} and {@code GET /jobs/{id}} over real HTTP against a real PostgreSQL: new jobs,
 * duplicates, every kind of bad input (each a problem naming the field, with nothing enqueued), a full
 * backlog, and unknown jobs. What was enqueued is read with the test kit ({@code pgqueue-test}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pgqueue.max-payload-size=2KB", "pgqueue.queues.limited.max-backlog=2",
				"pgqueue.queues.limited.concurrency=1" })
@ActiveProfiles("test")
class JobSubmissionIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
	}

	private static final String EMAIL = "{\"to\":\"ada@example.com\",\"subject\":\"Welcome\",\"body\":\"Hi\"}";

	@LocalServerPort
	int port;

	@Autowired
	PgQueueTest pgQueueTest;

	ServiceClient service;

	@BeforeEach
	void client() {
		this.service = new ServiceClient(this.port);
	}

	@Test
	void aNewJobIsCreatedWithItsLocation() {
		ServiceClient.Response response = this.service.post("/jobs", "{\"type\":\"send-email\",\"payload\":" + EMAIL + "}");
		assertThat(response.status()).isEqualTo(201);
		long id = response.json().get("id").asLong();
		assertThat(response.headers().getLocation()).hasToString("/jobs/" + id);
		assertThat(response.json().propertyNames()).containsExactly("id");
		// the worker may have run it already: any state
		assertThat(this.pgQueueTest.jobQueue().find(JobId.of(id))).isPresent();
		assertThat(this.pgQueueTest).hasJob(SendEmail.class)
			.withPayload(new SendEmail("ada@example.com", "Welcome", "Hi"))
			.inQueue("default");
	}

	@Test
	void theSameIdempotencyKeyGivesTheSameJobWith200() {
		String body = "{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"idempotencyKey\":\"welcome:ada\"}";
		ServiceClient.Response first = this.service.post("/jobs", body);
		ServiceClient.Response second = this.service.post("/jobs", body);
		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
		assertThat(second.json().get("duplicate").asBoolean()).isTrue();
		assertThat(this.pgQueueTest).hasJob(SendEmail.class).withIdempotencyKey("welcome:ada").single();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badSubmissions")
	void badInputIsAProblemNamingTheFieldAndNothingIsEnqueued(String name, String body, String field, String detail) {
		int before = this.pgQueueTest.jobs().size();
		ServiceClient.Response response = this.service.post("/jobs", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(400);
		assertThat(response.json().path("field").asString()).as(response.toString()).isEqualTo(field);
		assertThat(response.json().get("detail").asString()).contains(detail);
		assertThat(this.pgQueueTest.jobs()).hasSize(before);
	}

	static Stream<Arguments> badSubmissions() {
		String tooLong = "x".repeat(2100);
		return Stream.of(
				arguments("unknown type", "{\"type\":\"send-fax\",\"payload\":{}}", "type",
						"unknown type 'send-fax': known types are deliver-webhook, process-image, send-email"),
				arguments("missing type", "{\"payload\":" + EMAIL + "}", "type", "type is required"),
				arguments("missing payload", "{\"type\":\"send-email\"}", "payload",
						"payload is required: a JSON object with the fields of a send-email job (to, subject, body)"),
				arguments("payload not an object", "{\"type\":\"send-email\",\"payload\":\"hello\"}", "payload",
						"payload must be a JSON object"),
				arguments("unknown payload field",
						"{\"type\":\"send-email\",\"payload\":{\"to\":\"a@b.c\",\"subject\":\"s\",\"cc\":\"x\"}}",
						"payload.cc", "unknown field 'cc' in the payload; its fields are to, subject, body"),
				arguments("missing payload field", "{\"type\":\"send-email\",\"payload\":{\"subject\":\"s\"}}",
						"payload.to", "payload.to must not be blank"),
				arguments("payload field of the wrong type (string for integer)",
						"{\"type\":\"process-image\",\"payload\":{\"source\":\"a.png\",\"width\":\"wide\"}}",
						"payload.width", "payload.width must be an integer"),
				arguments("payload field of the wrong type (number for string)",
						"{\"type\":\"send-email\",\"payload\":{\"to\":42,\"subject\":\"s\"}}", "payload.to",
						"payload.to must be a string"),
				arguments("payload field of the wrong type (array for object)",
						"{\"type\":\"deliver-webhook\",\"payload\":{\"url\":\"http://127.0.0.1/\",\"body\":[1]}}",
						"payload.body", "payload.body must be a JSON object"),
				arguments("payload field out of range",
						"{\"type\":\"process-image\",\"payload\":{\"source\":\"a.png\",\"width\":0}}", "payload.width",
						"payload.width must be at least 1"),
				arguments("payload field not an email address",
						"{\"type\":\"send-email\",\"payload\":{\"to\":\"ada\",\"subject\":\"s\"}}", "payload.to",
						"payload.to must be an email address"),
				arguments("webhook URL not http",
						"{\"type\":\"deliver-webhook\",\"payload\":{\"url\":\"ftp://127.0.0.1/x\",\"body\":{}}}",
						"payload.url", "payload.url must be an absolute http:// or https:// URL"),
				arguments("maxAttempts below 1", "{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"maxAttempts\":0}",
						"maxAttempts", "maxAttempts must be at least 1, was 0"),
				arguments("maxAttempts not an integer",
						"{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"maxAttempts\":\"five\"}", "maxAttempts",
						"maxAttempts must be an integer"),
				arguments("negative delay", "{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"delaySeconds\":-1}",
						"delaySeconds", "delaySeconds must be from 0 to 31536000 (a year), was -1"),
				arguments("priority not an integer",
						"{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"priority\":1.5}", "priority",
						"priority must be an integer"),
				arguments("unknown queue", "{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"queue\":\"fast\"}",
						"queue", "unknown queue 'fast': known queues are default, limited"),
				arguments("blank idempotency key",
						"{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"idempotencyKey\":\" \"}", "idempotencyKey",
						"idempotencyKey must be non-blank and at most 512 characters"),
				arguments("NUL character in the idempotency key",
						"{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"idempotencyKey\":\"a\\u0000b\"}",
						"idempotencyKey", "idempotencyKey must not contain a NUL character"),
				arguments("lone surrogate in the idempotency key",
						"{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"idempotencyKey\":\"a\\ud800\"}",
						"idempotencyKey", "idempotencyKey must not contain a lone UTF-16 surrogate"),
				arguments("NUL character in the payload",
						"{\"type\":\"send-email\",\"payload\":{\"to\":\"a@b.c\",\"subject\":\"s\\u0000\",\"body\":\"b\"}}",
						"payload", "NUL character"),
				arguments("unknown option", "{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"delay\":5}", "delay",
						"unknown field 'delay' in the request; its fields are type, payload, maxAttempts"),
				arguments("payload too large",
						"{\"type\":\"send-email\",\"payload\":{\"to\":\"a@b.c\",\"subject\":\"s\",\"body\":\"" + tooLong
								+ "\"}}",
						"payload", "over pgqueue.max-payload-size of 2048 bytes"),
				arguments("malformed JSON", "{\"type\":\"send-email\",\"payload\":{\"to\":", "",
						"malformed JSON at line 1, column 38 (in /payload/to)"),
				arguments("not a JSON object", "[\"send-email\"]", "",
						"the request body must be a JSON object with type and payload"),
				arguments("empty body", "", "", "the request body is missing or unreadable"));
	}

	@Test
	void aFullBacklogIs429AndNothingIsEnqueued() {
		String body = "{\"type\":\"send-email\",\"payload\":" + EMAIL + ",\"queue\":\"limited\",\"delaySeconds\":3600}";
		this.service.submit(body);
		this.service.submit(body);
		ServiceClient.Response full = this.service.post("/jobs", body);
		assertThat(full.status()).isEqualTo(429);
		assertThat(full.contentType()).isEqualTo("application/problem+json");
		assertThat(full.headers().getFirst("Retry-After")).isEqualTo("5");
		assertThat(full.json().get("queue").asString()).isEqualTo("limited");
		assertThat(full.json().get("maxBacklog").asLong()).isEqualTo(2);
		assertThat(full.json().get("detail").asString()).contains("queue 'limited' is full");
		assertThat(this.pgQueueTest).hasEnqueued(SendEmail.class).inQueue("limited").hasCount(2);
	}

	@Test
	void aJobIsShownWithItsStateAttemptsAndOptions() {
		long id = this.service.submit("{\"type\":\"send-email\",\"payload\":" + EMAIL
				+ ",\"maxAttempts\":3,\"priority\":7,\"delaySeconds\":600,\"idempotencyKey\":\"shown\"}");
		ServiceClient.Response response = this.service.get("/jobs/" + id);
		assertThat(response.status()).isEqualTo(200);
		JsonNode job = response.json();
		assertThat(job.get("id").asLong()).isEqualTo(id);
		assertThat(job.get("type").asString()).isEqualTo("send-email");
		assertThat(job.get("queue").asString()).isEqualTo("default");
		assertThat(job.get("state").asString()).isEqualTo("available");
		assertThat(job.get("attempt").asInt()).isZero();
		assertThat(job.get("maxAttempts").asInt()).isEqualTo(3);
		assertThat(job.get("priority").asInt()).isEqualTo(7);
		assertThat(job.get("idempotencyKey").asString()).isEqualTo("shown");
		assertThat(job.get("payload").get("to").asString()).isEqualTo("ada@example.com");
		assertThat(job.get("errors").isEmpty()).isTrue();
		assertThat(Duration.between(Instant.parse(job.get("createdAt").asString()),
				Instant.parse(job.get("runAt").asString()))).hasSeconds(600);
	}

	@Test
	void healthMetricsPrometheusAndThePgqueueEndpointAreExposed() {
		this.service.submit("{\"type\":\"send-email\",\"payload\":" + EMAIL + "}");
		// the details, the metrics and the pgqueue endpoint are the operator's (SecurityIntegrationTests)
		ServiceClient operator = ServiceClient.operator(this.port);
		JsonNode health = operator.get("/actuator/health").json();
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("components").propertyNames()).contains("pgqueue", "db", "mail");
		assertThat(operator.get("/actuator/metrics/pgqueue.jobs.enqueued").status()).isEqualTo(200);
		assertThat(operator.get("/actuator/pgqueue").json().get("queues").propertyNames()).contains("default",
				"limited");
		String prometheus = operator.text("/actuator/prometheus");
		assertThat(prometheus).contains("pgqueue_jobs_enqueued_total{kind=\"send-email\",queue=\"default\"}");
	}

	@Test
	void anUnknownJobIs404() {
		ServiceClient.Response response = this.service.get("/jobs/987654321");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("no job with id 987654321");
	}

	@Test
	void aJobIdThatIsNotANumberIs400() {
		ServiceClient.Response response = this.service.get("/jobs/abc");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
	}

}
