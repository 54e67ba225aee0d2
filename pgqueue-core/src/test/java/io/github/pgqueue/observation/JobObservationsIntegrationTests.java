package io.github.pgqueue.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.pgqueue.EnqueueObservationContext;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.ExecuteObservationContext;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.RetrySettings;
import io.github.pgqueue.test.TestDatabase;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's observations against the real database: {@code pgqueue.enqueue} and
 * {@code pgqueue.execute} with their keys, the trace context a propagating handler sets at enqueue
 * stored in the job's {@code metadata} and handed to the first attempt's observation as its carrier,
 * a later attempt's carrier empty (a trace of its own) with the stored context still at hand, and
 * nothing stored without an observation registry.
 */
class JobObservationsIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	@Test
	void enqueueAndExecuteAreObservedWithTheirKeys() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		PgQueue queue = queue(registry, "observed", (payload, ctx) -> {
		});
		JobId id = queue.jobQueue().enqueue("observed", "p");
		queue.start();
		try {
			await().untilAsserted(() -> assertThat(registry).hasObservationWithNameEqualTo("pgqueue.execute")
				.that()
				.hasBeenStopped());
		}
		finally {
			queue.stop();
		}
		assertThat(registry).hasObservationWithNameEqualTo("pgqueue.enqueue")
			.that()
			.hasContextualNameEqualTo("enqueue observed")
			.hasLowCardinalityKeyValue("queue", "default")
			.hasLowCardinalityKeyValue("kind", "observed")
			.hasLowCardinalityKeyValue("outcome", "created")
			.hasHighCardinalityKeyValue("job.id", Long.toString(id.value()));
		assertThat(registry).hasObservationWithNameEqualTo("pgqueue.execute")
			.that()
			.hasContextualNameEqualTo("execute observed")
			.hasLowCardinalityKeyValue("queue", "default")
			.hasLowCardinalityKeyValue("kind", "observed")
			.hasLowCardinalityKeyValue("outcome", "completed")
			.hasHighCardinalityKeyValue("job.id", Long.toString(id.value()))
			.hasHighCardinalityKeyValue("job.attempt", "1");
	}

	@Test
	void aDuplicateAndAFullBatchAreObservedAsSuch() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		PgQueue queue = queue(registry, "keyed", (payload, ctx) -> {
		});
		EnqueueOptions keyed = EnqueueOptions.builder().idempotencyKey("k-" + db.schema()).build();
		queue.jobQueue().enqueue("keyed", "p", keyed);
		registry.clear();
		queue.jobQueue().enqueue("keyed", "p", keyed);
		assertThat(registry).hasObservationWithNameEqualTo("pgqueue.enqueue")
			.that()
			.hasLowCardinalityKeyValue("outcome", "duplicate");
		registry.clear();
		queue.jobQueue()
			.enqueueAll(List.of(new JobRequest("keyed", "a", EnqueueOptions.defaults()),
					new JobRequest("other", "b", EnqueueOptions.defaults())));
		assertThat(registry).hasObservationWithNameEqualTo("pgqueue.enqueue")
			.that()
			.hasLowCardinalityKeyValue("kind", "mixed")
			.hasLowCardinalityKeyValue("queue", "default")
			.hasLowCardinalityKeyValue("outcome", "created")
			.hasHighCardinalityKeyValue("job.count", "2");
	}

	@Test
	void theTraceContextSetAtEnqueueIsStoredAndContinuedByTheFirstAttemptOnly() {
		ObservationRegistry registry = ObservationRegistry.create();
		List<ExecuteObservationContext> executions = new CopyOnWriteArrayList<>();
		registry.observationConfig().observationHandler(new PropagatingHandler(executions));
		PgQueue queue = queue(registry, "flaky", (payload, ctx) -> {
			if (ctx.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		});
		JobId id = queue.jobQueue().enqueue("flaky", "p");
		JobId batched = queue.jobQueue()
			.enqueueAll(List.of(new JobRequest("flaky", "q", EnqueueOptions.defaults())))
			.get(0)
			.jobId();
		assertThat(metadata(id)).isEqualTo("{\"traceparent\": \"" + TRACEPARENT + "\"}");
		assertThat(metadata(batched)).isEqualTo("{\"traceparent\": \"" + TRACEPARENT + "\"}");
		queue.start();
		try {
			await().until(() -> executions.stream().filter((e) -> e.getJobId() == id.value()).count() == 2);
		}
		finally {
			queue.stop();
		}
		ExecuteObservationContext first = execution(executions, id, 1);
		assertThat(first.getCarrier()).containsEntry("traceparent", TRACEPARENT);
		assertThat(first.getOutcome()).isEqualTo("failed");
		assertThat(first.getError()).hasMessage("first attempt fails");
		ExecuteObservationContext second = execution(executions, id, 2);
		assertThat(second.isRetry()).isTrue();
		assertThat(second.getCarrier()).as("a retry starts a trace of its own").isEmpty();
		assertThat(second.getEnqueueTrace()).containsEntry("traceparent", TRACEPARENT);
		assertThat(second.getOutcome()).isEqualTo("completed");
	}

	@Test
	void withoutAnObservationRegistryNothingIsStored() {
		PgQueue queue = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build();
		JobId id = queue.jobQueue().enqueue("plain", "p");
		JobId batched = queue.jobQueue()
			.enqueueAll(List.of(new JobRequest("plain", "q", EnqueueOptions.defaults())))
			.get(0)
			.jobId();
		assertThat(metadata(id)).isEqualTo("{}");
		assertThat(metadata(batched)).isEqualTo("{}");
	}

	private static ExecuteObservationContext execution(List<ExecuteObservationContext> executions, JobId id, int attempt) {
		return executions.stream()
			.filter((e) -> e.getJobId() == id.value() && e.getAttempt() == attempt)
			.findFirst()
			.orElseThrow();
	}

	private static String metadata(JobId id) {
		return db.jdbc()
			.sql("SELECT CAST(metadata AS text) FROM " + db.schema() + ".pgqueue_job WHERE id = :id")
			.param("id", id.value())
			.query(String.class)
			.single();
	}

	private static PgQueue queue(ObservationRegistry registry, String kind, PgQueue.Handler<String> handler) {
		return PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.pollInterval(Duration.ofMillis(20))
				.retry(new RetrySettings(3, Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 0.0))
				.build())
			.observationRegistry(registry)
			.handler(kind, String.class, handler)
			.build();
	}

	/** What a tracer's propagating handlers do with the carriers: set a context at enqueue, read it at execution. */
	private static final class PropagatingHandler implements ObservationHandler<Observation.Context> {

		private final List<ExecuteObservationContext> executions;

		PropagatingHandler(List<ExecuteObservationContext> executions) {
			this.executions = executions;
		}

		@Override
		public void onStart(Observation.Context context) {
			if (context instanceof EnqueueObservationContext enqueue) {
				enqueue.getSetter().set(enqueue.getCarrier(), "traceparent", TRACEPARENT);
			}
		}

		@Override
		public void onStop(Observation.Context context) {
			if (context instanceof ExecuteObservationContext execute) {
				this.executions.add(execute);
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
