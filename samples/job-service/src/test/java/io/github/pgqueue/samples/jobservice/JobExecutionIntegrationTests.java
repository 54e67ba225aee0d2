package io.github.pgqueue.samples.jobservice;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.icegreen.greenmail.util.GreenMail;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.pgqueue.test.TestDatabase;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each job type submitted over HTTP and run to its end against a real PostgreSQL: the email arrives
 * in the embedded SMTP sink, the thumbnail is written with the asked size, and a local webhook
 * receiver gets exactly one POST, or, when it times out or fails, the same {@code Idempotency-Key}
 * again on the retry; a receiver refusing the delivery sends the job dead at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "job-service.webhook.read-timeout=700ms",
				// the local receiver: webhooks to loopback are refused unless allowed
				"job-service.webhook.allowed-addresses=127.0.0.1/32" })
@ActiveProfiles("test")
class JobExecutionIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	static final Path folder = createFolder();

	static final Receiver receiver = new Receiver();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
		registry.add("job-service.thumbnails.output-folder", () -> folder.resolve("thumbnails").toString());
		registry.add("job-service.thumbnails.source-folder", () -> folder.resolve("images").toString());
	}

	@AfterAll
	static void stopReceiver() {
		receiver.stop();
	}

	@LocalServerPort
	int port;

	@Autowired
	GreenMail smtpSink;

	ServiceClient service;

	@BeforeEach
	void client() {
		this.service = new ServiceClient(this.port);
	}

	@Test
	void anEmailArrivesInTheEmbeddedSmtpSink() throws Exception {
		long id = this.service.submit("{\"type\":\"send-email\",\"payload\":{\"to\":\"grace@example.com\","
				+ "\"subject\":\"Job " + "done\",\"body\":\"Your export is ready.\"}}");
		JsonNode job = this.service.awaitState(id, "completed");
		assertThat(job.get("attempt").asInt()).isEqualTo(1);
		assertThat(job.get("sideEffects").get(0).get("key").asString()).isEqualTo("smtp");
		List<MimeMessage> received = List.of(this.smtpSink.getReceivedMessages())
			.stream()
			.filter((message) -> recipients(message).contains("grace@example.com"))
			.toList();
		assertThat(received).hasSize(1);
		assertThat(received.get(0).getSubject()).isEqualTo("Job done");
		assertThat(received.get(0).getContent().toString().strip()).isEqualTo("Your export is ready.");
		JsonNode listed = this.service.get("/emails").json();
		assertThat(listed.valueStream()
			.filter((email) -> email.get("to").get(0).asString().equals("grace@example.com"))
			.map((email) -> email.get("subject").asString() + ": " + email.get("body").asString()))
			.containsExactly("Job done: Your export is ready.");
	}

	@Test
	void aThumbnailIsWrittenWithTheAskedWidthAndTheSourcesAspectRatio() throws IOException {
		Path source = image(folder.resolve("images/landscape.png"));

		long id = this.service.submit("{\"type\":\"process-image\",\"payload\":{\"source\":\"" + source + "\",\"width\":100}}");
		this.service.awaitState(id, "completed");

		Path thumbnail = folder.resolve("thumbnails").resolve(id + "-landscape.png");
		assertThat(thumbnail).exists();
		BufferedImage written = ImageIO.read(thumbnail.toFile());
		assertThat(written.getWidth()).isEqualTo(100);
		assertThat(written.getHeight()).isEqualTo(75);
		assertThat(new Color(written.getRGB(50, 37))).isEqualTo(Color.ORANGE);
	}

	@Test
	void aMissingSourceImageSendsTheJobDeadAtOnceSayingWhy() {
		long id = this.service.submit("{\"type\":\"process-image\",\"payload\":{\"source\":\"none.png\",\"width\":100}}");
		JsonNode job = this.service.awaitState(id, "dead");
		assertThat(job.get("attempt").asInt()).isEqualTo(1);
		assertThat(job.get("errors").get(0).get("message").asString()).contains("none.png cannot be read");
	}

	@Test
	void aMissingAndAnUnreadableSourceFailAlikeSoTheCallerCannotTellThemApart() throws IOException {
		Files.createDirectories(folder.resolve("images/folder.png"));
		long missing = this.service.submit("{\"type\":\"process-image\",\"payload\":{\"source\":\"absent.png\","
				+ "\"width\":10},\"maxAttempts\":1}");
		long unreadable = this.service.submit("{\"type\":\"process-image\",\"payload\":{\"source\":\"folder.png\","
				+ "\"width\":10},\"maxAttempts\":1}");
		String missingError = this.service.awaitState(missing, "dead").get("errors").get(0).get("message").asString();
		String unreadableError = this.service.awaitState(unreadable, "dead").get("errors").get(0).get("message")
			.asString();
		assertThat(missingError.replace("absent.png", "X")).isEqualTo(unreadableError.replace("folder.png", "X"));
	}

	@Test
	void aSourceOutsideTheSourceFolderIsRefusedAtSubmitAndThroughASymlinkWhenTheJobRuns() throws IOException {
		Path outside = image(folder.resolve("outside/secret.png"));
		long before = db.countJobs();
		ServiceClient.Response escaped = this.service.post("/jobs", "{\"type\":\"process-image\",\"payload\":"
				+ "{\"source\":\"../outside/secret.png\",\"width\":10}}");
		assertThat(escaped.status()).isEqualTo(400);
		assertThat(escaped.json().get("field").asString()).isEqualTo("payload.source");
		ServiceClient.Response absolute = this.service.post("/jobs", "{\"type\":\"process-image\",\"payload\":"
				+ "{\"source\":\"" + outside + "\",\"width\":10}}");
		assertThat(absolute.status()).isEqualTo(400);
		assertThat(db.countJobs()).isEqualTo(before);

		Files.createSymbolicLink(folder.resolve("images/link.png"), outside);
		long linked = this.service.submit("{\"type\":\"process-image\",\"payload\":{\"source\":\"link.png\","
				+ "\"width\":10},\"maxAttempts\":1}");
		JsonNode job = this.service.awaitState(linked, "dead");
		assertThat(job.get("errors").get(0).get("message").asString()).contains("link.png cannot be read");
		assertThat(folder.resolve("thumbnails").resolve(linked + "-link.png")).doesNotExist();
	}

	@Test
	void aRedirectIsNotFollowed() {
		receiver.respond("/hooks/moved", Response.REDIRECT);
		long id = this.service.submit(webhook("/hooks/moved", "{\"event\":\"moved\"}"));
		JsonNode job = this.service.awaitState(id, "dead");
		assertThat(job.get("errors").get(0).get("message").asString()).contains("redirect");
		assertThat(receiver.deliveries("/hooks/moved")).hasSize(1);
		assertThat(receiver.deliveries("/hooks/target")).isEmpty();
	}

	@Test
	void aWebhookIsPostedExactlyOnceWithAnIdempotencyKey() {
		long id = this.service.submit(webhook("/hooks/ok", "{\"event\":\"signup\",\"user\":7}"));
		this.service.awaitState(id, "completed");
		List<Delivery> deliveries = receiver.deliveries("/hooks/ok");
		assertThat(deliveries).hasSize(1);
		assertThat(deliveries.get(0).idempotencyKey()).isNotBlank();
		assertThat(deliveries.get(0).contentType()).startsWith("application/json");
		assertThat(JsonMapper.builder().build().readTree(deliveries.get(0).body()))
			.isEqualTo(JsonMapper.builder().build().readTree("{\"event\":\"signup\",\"user\":7}"));
	}

	@Test
	void aReceiverThatTimesOutGetsTheSameIdempotencyKeyOnTheRetry() {
		assertDeliveredOnTheSecondAttemptUnderOneKey("/hooks/slow", Response.SLOW_ONCE,
				"did not answer in time (connect-timeout 2000 ms, read-timeout 700 ms)");
	}

	@Test
	void aReceiverFailingWith503GetsTheSameIdempotencyKeyOnTheRetry() {
		assertDeliveredOnTheSecondAttemptUnderOneKey("/hooks/busy", Response.UNAVAILABLE_ONCE, "answered 503");
	}

	@Test
	void aReceiverAnswering429WithRetryAfterIsRetriedNoSoonerThanItAsked() {
		JsonNode job = assertDeliveredOnTheSecondAttemptUnderOneKey("/hooks/throttled", Response.TOO_MANY_ONCE,
				"answered 429; retrying after 2 s");
		Instant failed = Instant.parse(job.get("errors").get(0).get("at").asString());
		Instant retried = Instant.parse(job.get("attemptedAt").asString());
		assertThat(Duration.between(failed, retried)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
	}

	private JsonNode assertDeliveredOnTheSecondAttemptUnderOneKey(String path, Response firstResponse, String firstError) {
		receiver.respond(path, firstResponse);
		long id = this.service.submit(webhook(path, "{\"path\":\"" + path + "\"}"));
		JsonNode job = this.service.awaitState(id, "completed");
		assertThat(job.get("attempt").asInt()).isEqualTo(2);
		assertThat(job.get("errors").get(0).get("message").asString()).contains(firstError);
		List<Delivery> deliveries = receiver.deliveries(path);
		assertThat(deliveries).hasSize(2);
		assertThat(deliveries.get(1).idempotencyKey()).isEqualTo(deliveries.get(0).idempotencyKey()).isNotBlank();
		return job;
	}

	@Test
	void aReceiverRefusingTheDeliverySendsTheJobDeadAtOnce() {
		receiver.respond("/hooks/refuse", Response.BAD_REQUEST);
		long id = this.service.submit(webhook("/hooks/refuse", "{\"event\":\"refused\"}"));
		JsonNode job = this.service.awaitState(id, "dead");
		assertThat(job.get("attempt").asInt()).isEqualTo(1);
		assertThat(job.get("errors").get(0).get("message").asString()).contains("answered 400")
			.contains("refused the delivery");
		assertThat(receiver.deliveries("/hooks/refuse")).hasSize(1);
	}

	private static String webhook(String path, String body) {
		return "{\"type\":\"deliver-webhook\",\"payload\":{\"url\":\"" + receiver.url(path) + "\",\"body\":" + body
				+ "}}";
	}

	private static Path image(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.ORANGE);
		graphics.fillRect(0, 0, 400, 300);
		graphics.dispose();
		ImageIO.write(image, "png", file.toFile());
		return file;
	}

	private static List<String> recipients(MimeMessage message) {
		try {
			return List.of(message.getAllRecipients()).stream().map(Object::toString).toList();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path createFolder() {
		try {
			return Files.createTempDirectory("job-service-test");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** How the receiver answers on a path. */
	enum Response {

		OK, SLOW_ONCE, UNAVAILABLE_ONCE, TOO_MANY_ONCE, BAD_REQUEST, REDIRECT

	}

	/**
	 * One POST the receiver got.
	 *
	 * @param idempotencyKey its Idempotency-Key header
	 * @param contentType its Content-Type header
	 * @param body its body
	 */
	record Delivery(String idempotencyKey, String contentType, String body) {
	}

	/**
	 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server) that records every POST by path and
	 * answers as told: {@code SLOW_ONCE} leaves its first request hanging until the receiver stops.
	 */
	static final class Receiver {

		private final HttpServer server;

		private final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();

		private final Map<String, Response> responses = new ConcurrentHashMap<>();

		private final CountDownLatch stopped = new CountDownLatch(1);

		Receiver() {
			try {
				this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.setExecutor(Executors.newCachedThreadPool());
			this.server.createContext("/hooks", this::handle);
			this.server.start();
		}

		String url(String path) {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
		}

		void respond(String path, Response response) {
			this.responses.put(path, response);
		}

		List<Delivery> deliveries(String path) {
			return List.copyOf(this.deliveries.getOrDefault(path, List.of()));
		}

		void stop() {
			this.stopped.countDown();
			this.server.stop(0);
		}

		private void handle(HttpExchange exchange) throws IOException {
			String path = exchange.getRequestURI().getPath();
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			List<Delivery> seen = this.deliveries.computeIfAbsent(path, (key) -> new CopyOnWriteArrayList<>());
			seen.add(new Delivery(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")),
					String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")), body));
			boolean first = seen.size() == 1;
			Response response = this.responses.getOrDefault(path, Response.OK);
			int status = switch (response) {
				case OK -> 200;
				case SLOW_ONCE -> {
					if (first) {
						hangUntilStopped();
					}
					yield 200;
				}
				case UNAVAILABLE_ONCE -> first ? 503 : 200;
				case TOO_MANY_ONCE -> {
					if (first) {
						exchange.getResponseHeaders().add("Retry-After", "2");
					}
					yield first ? 429 : 200;
				}
				case BAD_REQUEST -> 400;
				case REDIRECT -> {
					exchange.getResponseHeaders().add("Location", url("/hooks/target"));
					yield 307;
				}
			};
			byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
			try {
				exchange.sendResponseHeaders(status, answer.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			}
			catch (IOException ex) {
				// the client gave up waiting (the timeout under test)
			}
		}

		private void hangUntilStopped() {
			try {
				this.stopped.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
