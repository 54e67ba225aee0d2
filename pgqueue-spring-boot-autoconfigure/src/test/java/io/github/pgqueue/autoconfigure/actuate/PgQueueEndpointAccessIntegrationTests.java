package io.github.pgqueue.autoconfigure.actuate;

import java.util.Map;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may change jobs and queues through the {@code pgqueue} endpoint, over HTTP on a real embedded
 * server: two applications on one schema, one left at the endpoint's default access (read-only) and
 * one with {@code management.endpoint.pgqueue.access=unrestricted}.
 */
class PgQueueEndpointAccessIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	static ConfigurableApplicationContext readOnly;

	static ConfigurableApplicationContext unrestricted;

	@BeforeAll
	static void start() {
		readOnly = start(null);
		unrestricted = start("unrestricted");
	}

	@AfterAll
	static void stop() {
		if (unrestricted != null) {
			unrestricted.close();
		}
		if (readOnly != null) {
			readOnly.close();
		}
	}

	private static ConfigurableApplicationContext start(String access) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
				"--server.address=127.0.0.1", "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
				"--spring.datasource.username=postgres", "--pgqueue.schema=" + db.schema(),
				"--pgqueue.queues.default.concurrency=1", "--pgqueue.queues.emails.concurrency=1",
				// nothing runs the jobs this test enqueues: both queues start paused on these nodes
				"--pgqueue.queues.default.paused=true", "--pgqueue.queues.emails.paused=true",
				"--management.endpoints.web.exposure.include=health,pgqueue",
				"--spring.mvc.problemdetails.enabled=true"));
		if (access != null) {
			args.add("--management.endpoint.pgqueue.access=" + access);
		}
		return application.run(args.toArray(String[]::new));
	}

	@Test
	void byDefaultAnAnonymousPostOrDeleteIsRefusedAndChangesNothing() {
		JobQueue jobs = readOnly.getBean(JobQueue.class);
		JobId id = jobs.enqueue("audit", Map.of("entry", "kept"));
		long before = db.countJobs();

		assertThat(call(readOnly, HttpMethod.POST, "/actuator/pgqueue/" + id.value(), "{\"action\":\"cancel\"}")
			.status()).isEqualTo(405);
		assertThat(call(readOnly, HttpMethod.DELETE, "/actuator/pgqueue/" + id.value(), null).status()).isEqualTo(405);
		// no read has the queue path, so there is no such resource at all
		assertThat(call(readOnly, HttpMethod.POST, "/actuator/pgqueue/queues/emails", "{\"action\":\"resume\"}")
			.status()).isEqualTo(404);
		assertThat(call(readOnly, HttpMethod.POST, "/actuator/pgqueue/dead", "{\"action\":\"retry\",\"kind\":\"audit\"}")
			.status()).isEqualTo(405);

		assertThat(jobs.find(id).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
		assertThat(jobs.find(id).orElseThrow().cancelRequested()).isFalse();
		assertThat(db.countJobs()).isEqualTo(before);
		assertThat(queueRows("emails")).isZero();
		// the reads still answer
		assertThat(call(readOnly, HttpMethod.GET, "/actuator/pgqueue/" + id.value(), null).status()).isEqualTo(200);
		assertThat(call(readOnly, HttpMethod.GET, "/actuator/pgqueue", null).status()).isEqualTo(200);
	}

	@Test
	void withAccessUnrestrictedTheWritesWork() {
		JobQueue jobs = unrestricted.getBean(JobQueue.class);
		JobId id = jobs.enqueue("audit", Map.of("entry", "cancelled"));

		Reply cancelled = call(unrestricted, HttpMethod.POST, "/actuator/pgqueue/" + id.value(),
				"{\"action\":\"cancel\"}");
		assertThat(cancelled.status()).isEqualTo(200);
		assertThat(cancelled.body()).contains("\"changed\":true");
		assertThat(jobs.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);

		assertThat(call(unrestricted, HttpMethod.POST, "/actuator/pgqueue/queues/default", "{\"action\":\"pause\"}")
			.status()).isEqualTo(200);
		assertThat(unrestricted.getBean(io.github.pgqueue.JobOperations.class).pausedQueues()).contains("default");
		assertThat(call(unrestricted, HttpMethod.POST, "/actuator/pgqueue/queues/default", "{\"action\":\"resume\"}")
			.status()).isEqualTo(200);
		assertThat(unrestricted.getBean(io.github.pgqueue.JobOperations.class).pausedQueues()).doesNotContain("default");
	}

	@Test
	void pausingAQueueNoConfigurationNamesIsRefusedNamingItAndTheConfiguredOnesAndAddsNoRow() {
		Reply reply = call(unrestricted, HttpMethod.POST, "/actuator/pgqueue/queues/made-up", "{\"action\":\"pause\"}");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.body()).contains("made-up").contains("default").contains("emails");
		assertThat(call(unrestricted, HttpMethod.POST, "/actuator/pgqueue/queues/made-up", "{\"action\":\"resume\"}")
			.status()).isEqualTo(400);
		assertThat(queueRows("made-up")).isZero();
	}

	@Test
	void theDeadLetterWithLimitZeroIsABadRequestNamingLimit() {
		Reply reply = call(readOnly, HttpMethod.GET, "/actuator/pgqueue/dead?limit=0", null);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.body()).contains("limit");
		assertThat(call(readOnly, HttpMethod.GET, "/actuator/pgqueue/dead?limit=1001", null).status()).isEqualTo(400);
		assertThat(call(readOnly, HttpMethod.GET, "/actuator/pgqueue/dead?limit=1", null).status()).isEqualTo(200);
	}

	private static long queueRows(String queue) {
		return db.jdbc()
			.sql("SELECT count(*) FROM " + db.schema() + ".pgqueue_queue WHERE name = :name")
			.param("name", queue)
			.query(Long.class)
			.single();
	}

	private static Reply call(ConfigurableApplicationContext context, HttpMethod method, String path,
			String body) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		RestClient.RequestBodySpec request = RestClient.create("http://127.0.0.1:" + port)
			.method(method)
			.uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> new Reply(response.getStatusCode().value(),
				String.valueOf(response.bodyTo(String.class))));
	}

	record Reply(int status, String body) {
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
