package io.github.pgqueue.samples.jobservice;

import java.time.Duration;
import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobQueue;
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
 * The dashboard in the sample, as it ships: at {@code /pgqueue}, for the operator only (role
 * {@code PGQUEUE_OPERATOR}), who may act; a post without Spring Security's CSRF token changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DashboardSecurityIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
	}

	@LocalServerPort
	int port;

	@Autowired
	JobQueue jobQueue;

	@Test
	void theDashboardIsForTheOperatorOnly() {
		assertThat(call(HttpMethod.GET, "/pgqueue", null, null).status()).isEqualTo(401);
		assertThat(call(HttpMethod.GET, "/pgqueue/jobs", null, "someone:wrong-password").status()).isEqualTo(401);
		Reply overview = call(HttpMethod.GET, "/pgqueue", null, ServiceClient.OPERATOR);
		assertThat(overview.status()).isEqualTo(200);
		assertThat(overview.body()).contains("id=\"queues\"").contains("data-queue=\"default\"")
			.contains("id=\"throughput-chart\"");
	}

	@Test
	void theOperatorIsOfferedActionsAndAPostWithoutCsrfTokenChangesNothing() {
		JobId id = this.jobQueue
			.enqueue("send-email", Map.of("to", "d@example.com", "subject", "s", "body", "b"),
					EnqueueOptions.builder().delay(Duration.ofHours(1)).build())
			.jobId();
		Reply job = call(HttpMethod.GET, "/pgqueue/jobs/" + id.value(), null, ServiceClient.OPERATOR);
		assertThat(job.body()).contains("id=\"action-cancel-" + id.value() + "\"");

		assertThat(call(HttpMethod.POST, "/pgqueue/actions/cancel", "target=" + id.value() + "&confirmed=true",
				ServiceClient.OPERATOR).status()).isEqualTo(403);
		assertThat(this.jobQueue.find(id).orElseThrow().cancelRequested()).isFalse();
	}

	private Reply call(HttpMethod method, String path, String form, String credentials) {
		RestClient.RequestBodySpec request = ServiceClient.http(this.port).build().method(method).uri(path);
		if (credentials != null) {
			request.header(HttpHeaders.AUTHORIZATION, ServiceClient.basic(credentials));
		}
		if (form != null) {
			request.contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form);
		}
		return request.exchange((req, response) -> new Reply(response.getStatusCode().value(),
				response.bodyTo(String.class)));
	}

	record Reply(int status, String body) {
	}

}
