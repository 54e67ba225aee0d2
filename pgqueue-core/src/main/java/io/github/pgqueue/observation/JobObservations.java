package io.github.pgqueue.observation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.pgqueue.DefaultEnqueueObservationConvention;
import io.github.pgqueue.DefaultExecuteObservationConvention;
import io.github.pgqueue.EnqueueObservationContext;
import io.github.pgqueue.EnqueueObservationConvention;
import io.github.pgqueue.EnqueueResult;
import io.github.pgqueue.ExecuteObservationContext;
import io.github.pgqueue.ExecuteObservationConvention;
import io.github.pgqueue.JobObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's observation hooks: {@code pgqueue.enqueue} around an enqueue, {@code pgqueue.execute}
 * around a handler's run. The trace context an enqueue's observation propagates travels as the job's
 * {@code metadata} (a JSON object whose top-level fields are the propagator's, {@code traceparent}
 * first). With {@link ObservationRegistry#NOOP}, or a registry without handlers, each hook only calls
 * what it wraps: no context, no metadata. Internal: the engine's seam, not part of pgqueue's API.
 */
public final class JobObservations {

	/** Observes nothing. */
	public static final JobObservations NOOP = new JobObservations(ObservationRegistry.NOOP, null, null);

	private static final JsonMapper METADATA = JsonMapper.builder().build();

	private final ObservationRegistry registry;

	private final @Nullable EnqueueObservationConvention enqueueConvention;

	private final @Nullable ExecuteObservationConvention executeConvention;

	/**
	 * @param enqueueConvention replaces {@link DefaultEnqueueObservationConvention}, if given
	 * @param executeConvention replaces {@link DefaultExecuteObservationConvention}, if given
	 */
	public JobObservations(ObservationRegistry registry, @Nullable EnqueueObservationConvention enqueueConvention,
			@Nullable ExecuteObservationConvention executeConvention) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.enqueueConvention = enqueueConvention;
		this.executeConvention = executeConvention;
	}

	/**
	 * Observes the enqueue of one job.
	 * @param insert writes the job with the metadata given ({@code null}: none to store)
	 */
	public EnqueueResult enqueue(String queue, String kind, Function<@Nullable String, EnqueueResult> insert) {
		if (this.registry.isNoop()) {
			return insert.apply(null);
		}
		EnqueueObservationContext context = new EnqueueObservationContext(queue, kind, 1);
		return enqueueObservation(context).observe(() -> {
			try {
				EnqueueResult result = insert.apply(metadata(context));
				context.setJobId(result.jobId().value());
				context.setOutcome(result.duplicate() ? "duplicate" : "created");
				return result;
			}
			catch (RuntimeException | Error ex) {
				context.setOutcome("failed");
				throw ex;
			}
		});
	}

	/**
	 * Observes one {@code enqueueAll}.
	 * @param queue the jobs' queue, or {@link EnqueueObservationContext#MIXED}; asked for only when observed
	 * @param kind the jobs' kind, or {@link EnqueueObservationContext#MIXED}; asked for only when observed
	 * @param insert writes the jobs, each with the metadata given ({@code null}: none to store)
	 */
	public List<EnqueueResult> enqueueAll(Supplier<String> queue, Supplier<String> kind, int count,
			Function<@Nullable String, List<EnqueueResult>> insert) {
		if (this.registry.isNoop()) {
			return insert.apply(null);
		}
		EnqueueObservationContext context = new EnqueueObservationContext(queue.get(), kind.get(), count);
		return enqueueObservation(context).observe(() -> {
			try {
				List<EnqueueResult> results = insert.apply(metadata(context));
				context.setOutcome(results.stream().allMatch(EnqueueResult::duplicate) && !results.isEmpty()
						? "duplicate" : "created");
				return results;
			}
			catch (RuntimeException | Error ex) {
				context.setOutcome("failed");
				throw ex;
			}
		});
	}

	/**
	 * Observes one run of a job's handler, in the scope of its observation (so that what the handler
	 * observes is part of the job's trace).
	 * @param metadata the job's metadata as stored, JSON
	 * @param handler runs the handler; what it throws is thrown on, unwrapped
	 */
	public void execute(String queue, String kind, long jobId, int attempt, @Nullable String metadata,
			HandlerCall handler) throws Exception {
		if (this.registry.isNoop()) {
			handler.run();
			return;
		}
		ExecuteObservationContext context = new ExecuteObservationContext(queue, kind, jobId, attempt, trace(metadata));
		JobObservationDocumentation.EXECUTE
			.observation(this.executeConvention, DefaultExecuteObservationConvention.INSTANCE, () -> context,
					this.registry)
			.observeChecked(() -> {
				try {
					handler.run();
					context.setOutcome("completed");
				}
				catch (Exception | Error ex) {
					context.setOutcome("failed");
					throw ex;
				}
			});
	}

	private Observation enqueueObservation(EnqueueObservationContext context) {
		return JobObservationDocumentation.ENQUEUE.observation(this.enqueueConvention,
				DefaultEnqueueObservationConvention.INSTANCE, () -> context, this.registry);
	}

	// what the tracing handler's propagator set at the observation's start, as the jobs' metadata
	private static @Nullable String metadata(EnqueueObservationContext context) {
		Map<String, String> trace = context.getCarrier();
		return (trace == null || trace.isEmpty()) ? null : METADATA.writeValueAsString(trace);
	}

	// the string fields of a job's metadata: the propagator reads the ones it knows
	static Map<String, String> trace(@Nullable String metadata) {
		if (metadata == null || metadata.length() <= 2) {
			return Map.of();
		}
		Map<String, String> trace = new LinkedHashMap<>();
		JsonNode root = METADATA.readTree(metadata);
		root.properties().forEach((field) -> {
			if (field.getValue().isString()) {
				trace.put(field.getKey(), field.getValue().asString());
			}
		});
		return trace;
	}

	/** A handler's run. */
	@FunctionalInterface
	public interface HandlerCall {

		void run() throws Exception;

	}

}
