package io.github.pgqueue.samples.jobservice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.samples.jobservice.jobs.DeliverWebhook;
import io.github.pgqueue.samples.jobservice.jobs.WebhookAddresses;
import io.github.pgqueue.test.TestDatabase;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deliver-webhook} with its default policy (no {@code job-service.webhook.allowed-addresses}):
 * a target that is or resolves to a loopback, private, link-local, multicast or otherwise special
 * address is refused at submit when it can be told then (400 naming {@code payload.url}, nothing
 * enqueued), and otherwise when the job runs, after resolving the name, before any connection: the
 * receiver gets nothing and the job's error is the same whether a receiver listens there or not. A
 * name whose answer changes between submit and run (DNS rebinding, played by {@link Rebinding}) is
 * refused on the answer the connection would use.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class WebhookTargetIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	static final AtomicInteger received = new AtomicInteger();

	static final HttpServer receiver = receiver();

	static final AtomicInteger rebindingLookups = new AtomicInteger();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	JobQueue jobQueue;

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:{port}/actuator/pgqueue/queues/default", "http://localhost:{port}/x",
			"http://[::1]:{port}/x", "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/x",
			"http://172.16.0.1/x", "http://192.168.1.1/x", "http://100.64.0.1/x", "http://[fd00::1]/x",
			"http://[fe80::1]/x", "http://224.0.0.1/x", "http://0.0.0.0:{port}/x", "http://[::]/x",
			"http://[::ffff:127.0.0.1]:{port}/x", "http://255.255.255.255/x", "https://127.1.2.3/x" })
	void aTargetThatIsOrResolvesToASpecialAddressIsRefusedAtSubmit(String url) {
		long before = db.countJobs();
		ServiceClient.Response response = new ServiceClient(this.port).post("/jobs",
				"{\"type\":\"deliver-webhook\",\"payload\":{\"url\":\"" + url.replace("{port}", Integer.toString(this.port))
						+ "\",\"body\":{\"action\":\"pause\"}}}");
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("field").asString()).isEqualTo("payload.url");
		assertThat(response.json().get("detail").asString()).contains("job-service.webhook.allowed-addresses");
		assertThat(db.countJobs()).isEqualTo(before);
	}

	@Test
	void aTargetRefusedWhenTheJobRunsGetsNothingAndItsErrorTellsNoReceiverApart() throws IOException {
		// as if the names had resolved to a public address at submit: enqueued past the API's check
		int closedPort = closedPort();
		long open = enqueue("http://localhost:" + receiver.getAddress().getPort() + "/hooks/open");
		long closed = enqueue("http://localhost:" + closedPort + "/hooks/open");
		ServiceClient service = new ServiceClient(this.port);
		JsonNode openJob = service.awaitState(open, "dead");
		JsonNode closedJob = service.awaitState(closed, "dead");
		assertThat(received).hasValue(0);
		assertThat(openJob.get("attempt").asInt()).isEqualTo(1);
		assertThat(closedJob.get("attempt").asInt()).isEqualTo(1);
		String openError = openJob.get("errors").get(0).get("message").asString();
		String closedError = closedJob.get("errors").get(0).get("message").asString();
		assertThat(openError).contains("refused").contains("job-service.webhook.allowed-addresses");
		assertThat(openError).isEqualTo(closedError);
		assertThat(openError).doesNotContain(Integer.toString(receiver.getAddress().getPort()));
	}

	@Test
	void aNameThatResolvesPubliclyAtSubmitAndToLoopbackWhenTheJobRunsIsRefusedOnTheAnswerItWouldConnectTo() {
		ServiceClient service = new ServiceClient(this.port);
		long id = service.submit("{\"type\":\"deliver-webhook\",\"payload\":{\"url\":\"http://"
				+ Rebinding.HOST + ":" + receiver.getAddress().getPort() + "/hooks/rebound\",\"body\":{}},"
				+ "\"maxAttempts\":1}");
		JsonNode job = service.awaitState(id, "dead");
		assertThat(received).hasValue(0);
		assertThat(rebindingLookups.get()).isGreaterThanOrEqualTo(2);
		assertThat(job.get("errors").get(0).get("message").asString())
			.endsWith(WebhookAddresses.refusalOf(Rebinding.HOST));
	}

	private long enqueue(String url) {
		ObjectNode body = JsonMapper.builder().build().createObjectNode().put("event", "probe");
		return this.jobQueue.enqueue(io.github.pgqueue.JobRequest.of(new DeliverWebhook(java.net.URI.create(url), body))
			.withOptions(EnqueueOptions.builder().maxAttempts(1).build())).jobId().value();
	}

	/**
	 * A DNS that answers a public address for {@value #HOST} the first time it is asked (the check at
	 * submit) and loopback ever after (the connection); other names resolve as usual.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Rebinding {

		static final String HOST = "rebinding.test";

		@Bean
		DnsResolver rebindingResolver() {
			return new DnsResolver() {

				@Override
				public InetAddress[] resolve(String host) throws java.net.UnknownHostException {
					if (!HOST.equals(host)) {
						return SystemDefaultDnsResolver.INSTANCE.resolve(host);
					}
					byte[] address = (rebindingLookups.getAndIncrement() == 0)
							? new byte[] { 93, (byte) 184, (byte) 215, 14 } : new byte[] { 127, 0, 0, 1 };
					return new InetAddress[] { InetAddress.getByAddress(host, address) };
				}

				@Override
				public String resolveCanonicalHostname(String host) throws java.net.UnknownHostException {
					return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
				}

			};
		}

	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static HttpServer receiver() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/hooks", (exchange) -> {
				received.incrementAndGet();
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
