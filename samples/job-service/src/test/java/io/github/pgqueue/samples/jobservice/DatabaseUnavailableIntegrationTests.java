package io.github.pgqueue.samples.jobservice;

import java.time.Duration;

import io.github.pgqueue.test.TcpProxy;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the database taken away (a TCP proxy between the service and PostgreSQL cuts every
 * connection and refuses new ones), submitting and reading jobs answer {@code 503} problems with a
 * {@code Retry-After}, quickly; once it is back, the service accepts jobs again on its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.hikari.connection-timeout=1000",
				"spring.datasource.hikari.validation-timeout=500" })
@ActiveProfiles("test")
class DatabaseUnavailableIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	static final TcpProxy proxy = TcpProxy.forTestDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, proxy::jdbcUrl);
	}

	@AfterAll
	static void closeProxy() {
		proxy.close();
	}

	@LocalServerPort
	int port;

	private static final String EMAIL = "{\"type\":\"send-email\",\"payload\":{\"to\":\"ada@example.com\",\"subject\":\"Hi\"}}";

	@Test
	void theApiAnswers503WhileTheDatabaseIsUnreachableAndRecovers() {
		ServiceClient service = new ServiceClient(this.port);
		long before = service.submit(EMAIL);

		proxy.cut();
		try {
			long start = System.nanoTime();
			ServiceClient.Response submitted = service.post("/jobs", EMAIL);
			assertThat(submitted.status()).as(submitted.toString()).isEqualTo(503);
			assertThat(submitted.contentType()).isEqualTo("application/problem+json");
			assertThat(submitted.headers().getFirst("Retry-After")).isEqualTo("10");
			assertThat(submitted.json().get("detail").asString()).contains("the database is unreachable");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

			ServiceClient.Response read = service.get("/jobs/" + before);
			assertThat(read.status()).isEqualTo(503);
			assertThat(read.contentType()).isEqualTo("application/problem+json");
		}
		finally {
			proxy.restore();
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> service.post("/jobs", EMAIL).status() == 201);
		assertThat(service.get("/jobs/" + before).status()).isEqualTo(200);
	}

}
