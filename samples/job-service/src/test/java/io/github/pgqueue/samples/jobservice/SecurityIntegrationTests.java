package io.github.pgqueue.samples.jobservice;

import java.time.Duration;
import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample secured as it ships: the {@code pgqueue} endpoint (its reads, and its writes, which the
 * sample turns on) and the health details only for the operator (a user with the role
 * {@code PGQUEUE_OPERATOR}, credentials from {@code spring.security.user.*}); {@code POST /jobs} and
 * {@code GET /jobs/{id}} open as before; the dashboard at {@code /pgqueue} for the operator only, its
 * forms protected by Spring Security's CSRF token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SecurityIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
	}

	static final String OPERATOR = ServiceClient.OPERATOR;

	@LocalServerPort
	int port;

	@Autowired
	JobQueue jobQueue;

	@Test
	void anAnonymousClientCannotCancelRetryDiscardOrPauseAndNothingChanges() {
		JobId id = laterEmail("a@example.com");
		assertThat(call(HttpMethod.POST, "/actuator/pgqueue/" + id.value(), "{\"action\":\"cancel\"}", null))
			.isEqualTo(401);
		assertThat(call(HttpMethod.DELETE, "/actuator/pgqueue/" + id.value(), null, null)).isEqualTo(401);
		assertThat(call(HttpMethod.POST, "/actuator/pgqueue/queues/default", "{\"action\":\"pause\"}", null))
			.isEqualTo(401);
		assertThat(call(HttpMethod.POST, "/actuator/pgqueue/dead", "{\"action\":\"retry\",\"kind\":\"send-email\"}",
				null)).isEqualTo(401);
		assertThat(call(HttpMethod.POST, "/actuator/pgqueue/" + id.value(), "{\"action\":\"cancel\"}",
				"someone:wrong-password")).isEqualTo(401);
		assertThat(this.jobQueue.find(id).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
		assertThat(this.jobQueue.find(id).orElseThrow().cancelRequested()).isFalse();
		assertThat(db.jdbc().sql("SELECT count(*) FROM " + db.schema() + ".pgqueue_queue").query(Long.class).single())
			.isZero();
	}

	@Test
	void theOperatorCanCancelAJobAndPauseAConfiguredQueue() {
		JobId id = laterEmail("b@example.com");
		assertThat(call(HttpMethod.POST, "/actuator/pgqueue/" + id.value(), "{\"action\":\"cancel\"}", OPERATOR))
			.isEqualTo(200);
		assertThat(this.jobQueue.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(call(HttpMethod.POST, "/actuator/pgqueue/queues/made-up", "{\"action\":\"pause\"}", OPERATOR))
			.isEqualTo(400);
		assertThat(call(HttpMethod.GET, "/actuator/pgqueue", null, OPERATOR)).isEqualTo(200);
	}

	@Test
	void thePgqueueEndpointsReadsAreForTheOperatorOnly() {
		assertThat(call(HttpMethod.GET, "/actuator/pgqueue", null, null)).isEqualTo(401);
		assertThat(call(HttpMethod.GET, "/actuator/pgqueue/dead", null, null)).isEqualTo(401);
	}

	@Test
	void healthShowsItsDetailsOnlyToTheOperator() {
		String anonymous = body("/actuator/health", null);
		assertThat(anonymous).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("workerId");
		String operator = body("/actuator/health", OPERATOR);
		assertThat(operator).contains("components").contains("pgqueue").contains("workerId");
	}

	@Test
	void submittingAndReadingAJobStayOpen() {
		ServiceClient service = new ServiceClient(this.port);
		long id = service.submit("{\"type\":\"send-email\",\"payload\":{\"to\":\"c@example.com\",\"subject\":\"s\","
				+ "\"body\":\"b\"},\"delaySeconds\":3600}");
		assertThat(service.get("/jobs/" + id).status()).isEqualTo(200);
	}

	@Test
	void theDashboardIsForTheOperatorOnly() {
		assertThat(call(HttpMethod.GET, "/pgqueue", null, null)).isEqualTo(401);
		assertThat(call(HttpMethod.GET, "/pgqueue/jobs", null, "someone:wrong-password")).isEqualTo(401);
		assertThat(call(HttpMethod.GET, "/pgqueue", null, OPERATOR)).isEqualTo(200);
		assertThat(body("/pgqueue", OPERATOR)).contains("id=\"queues\"").contains("data-queue=\"default\"")
			.contains("id=\"throughput-chart\"");
	}

	@Test
	void theOperatorIsOfferedDashboardActionsAndAPostWithoutCsrfTokenChangesNothing() {
		JobId id = laterEmail("d@example.com");
		assertThat(body("/pgqueue/jobs/" + id.value(), OPERATOR)).contains("id=\"action-cancel-" + id.value() + "\"");

		RestClient.RequestBodySpec post = ServiceClient.http(this.port).build().post().uri("/pgqueue/actions/cancel");
		post.header(HttpHeaders.AUTHORIZATION, ServiceClient.basic(OPERATOR))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("target=" + id.value() + "&confirmed=true");
		int status = post.exchange((req, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(403);
		assertThat(this.jobQueue.find(id).orElseThrow().cancelRequested()).isFalse();
	}

	// a job that waits an hour, so only the calls under test change it
	private JobId laterEmail(String to) {
		return this.jobQueue
			.enqueue("send-email", Map.of("to", to, "subject", "s", "body", "b"),
					EnqueueOptions.builder().delay(Duration.ofHours(1)).build())
			.jobId();
	}

	private int call(HttpMethod method, String path, String body, String credentials) {
		RestClient.RequestBodySpec request = ServiceClient.http(this.port).build().method(method).uri(path);
		if (credentials != null) {
			request.header(HttpHeaders.AUTHORIZATION, ServiceClient.basic(credentials));
		}
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> response.getStatusCode().value());
	}

	private String body(String path, String credentials) {
		RestClient.RequestHeadersSpec<?> request = ServiceClient.http(this.port).build().get().uri(path);
		if (credentials != null) {
			request.header(HttpHeaders.AUTHORIZATION, ServiceClient.basic(credentials));
		}
		return request.exchange((req, response) -> response.bodyTo(String.class));
	}

}
