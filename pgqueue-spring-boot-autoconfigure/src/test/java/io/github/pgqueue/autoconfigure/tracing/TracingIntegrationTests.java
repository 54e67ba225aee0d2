package io.github.pgqueue.autoconfigure.tracing;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from an HTTP request that enqueued a job to that job's handler, with a real tracer
 * (Micrometer Tracing over OpenTelemetry, W3C propagation) and the spans as exported: the server
 * span, the enqueue's producer span as its child, and the execution's consumer span as the enqueue's
 * child; a retry's span in a trace of its own, linked to the enqueue's span; the observations' keys
 * on the spans.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = TracingIntegrationTests.TestApplication.class,
		properties = { "spring.liquibase.enabled=false", "management.tracing.sampling.probability=1.0",
				"pgqueue.poll-interval=100ms", "pgqueue.retry.initial-backoff=50ms", "pgqueue.retry.jitter=0" })
class TracingIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final AttributeKey<String> QUEUE = AttributeKey.stringKey("queue");

	private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");

	private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

	private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("job.id");

	private static final AttributeKey<String> ATTEMPT = AttributeKey.stringKey("job.attempt");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
		registry.add("pgqueue.schema", db::schema);
	}

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter spans;

	@Test
	void oneTraceRunsFromTheRequestThatEnqueuedToTheHandlersSpan() {
		String jobId = enqueueOverHttp("shipment");
		SpanData execute = await().until(() -> span(SpanKind.CONSUMER, jobId, "1"), Optional::isPresent).get();
		SpanData enqueue = span(SpanKind.PRODUCER, jobId, null).orElseThrow();
		SpanData server = only((span) -> span.getKind() == SpanKind.SERVER
				&& span.getTraceId().equals(enqueue.getTraceId()));

		assertThat(enqueue.getTraceId()).isEqualTo(server.getTraceId());
		assertThat(enqueue.getParentSpanId()).as("the enqueue's parent is the request's span")
			.isEqualTo(server.getSpanId());
		assertThat(execute.getTraceId()).as("the handler's span is in the request's trace")
			.isEqualTo(server.getTraceId());
		assertThat(execute.getParentSpanId()).as("the handler's parent is the enqueue's span")
			.isEqualTo(enqueue.getSpanId());

		assertThat(enqueue.getName()).isEqualTo("enqueue shipment");
		assertThat(enqueue.getAttributes().get(QUEUE)).isEqualTo("default");
		assertThat(enqueue.getAttributes().get(KIND)).isEqualTo("shipment");
		assertThat(enqueue.getAttributes().get(OUTCOME)).isEqualTo("created");
		assertThat(execute.getName()).isEqualTo("execute shipment");
		assertThat(execute.getAttributes().get(QUEUE)).isEqualTo("default");
		assertThat(execute.getAttributes().get(KIND)).isEqualTo("shipment");
		assertThat(execute.getAttributes().get(OUTCOME)).isEqualTo("completed");
		assertThat(execute.getAttributes().get(ATTEMPT)).isEqualTo("1");
	}

	@Test
	void aRetrysSpanStartsATraceOfItsOwnLinkedToTheEnqueue() {
		String jobId = enqueueOverHttp("flaky");
		SpanData second = await().until(() -> span(SpanKind.CONSUMER, jobId, "2"), Optional::isPresent).get();
		SpanData first = span(SpanKind.CONSUMER, jobId, "1").orElseThrow();
		SpanData enqueue = span(SpanKind.PRODUCER, jobId, null).orElseThrow();

		assertThat(first.getTraceId()).isEqualTo(enqueue.getTraceId());
		assertThat(first.getParentSpanId()).isEqualTo(enqueue.getSpanId());
		assertThat(first.getAttributes().get(OUTCOME)).isEqualTo("failed");
		assertThat(first.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);

		assertThat(second.getTraceId()).as("a retry's trace is its own").isNotEqualTo(first.getTraceId());
		assertThat(second.getParentSpanContext().isValid()).as("a retry's span is a root").isFalse();
		assertThat(second.getLinks()).extracting(LinkData::getSpanContext)
			.anySatisfy((linked) -> {
				assertThat(linked.getTraceId()).isEqualTo(first.getTraceId());
				assertThat(linked.getSpanId()).isEqualTo(enqueue.getSpanId());
			});
		assertThat(second.getAttributes().get(OUTCOME)).isEqualTo("completed");
	}

	private String enqueueOverHttp(String kind) {
		return RestClient.create("http://localhost:" + this.port)
			.post()
			.uri("/jobs/{kind}", kind)
			.retrieve()
			.body(String.class);
	}

	private Optional<SpanData> span(SpanKind kind, String jobId, String attempt) {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getKind() == kind && jobId.equals(span.getAttributes().get(JOB_ID))
					&& (attempt == null || attempt.equals(span.getAttributes().get(ATTEMPT))))
			.findFirst();
	}

	private SpanData only(Predicate<SpanData> matching) {
		List<SpanData> found = this.spans.getFinishedSpanItems().stream().filter(matching).toList();
		assertThat(found).hasSize(1);
		return found.get(0);
	}

	@RestController
	static class JobsController {

		private final JobQueue jobQueue;

		JobsController(JobQueue jobQueue) {
			this.jobQueue = jobQueue;
		}

		@PostMapping("/jobs/{kind}")
		String enqueue(@PathVariable String kind) {
			return Long.toString(this.jobQueue.enqueue(kind, "payload").value());
		}

	}

	@Component
	static class Handlers {

		@JobHandler("shipment")
		void ship(String payload) {
		}

		@JobHandler("flaky")
		void flaky(String payload, JobContext ctx) {
			if (ctx.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		}

	}

	@SpringBootApplication
	@Import({ JobsController.class, Handlers.class })
	static class TestApplication {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		SpanProcessor inMemorySpanProcessor(InMemorySpanExporter exporter) {
			return SimpleSpanProcessor.create(exporter);
		}

	}

}
