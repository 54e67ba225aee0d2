package io.github.pgqueue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * The span of a {@code pgqueue.execute} observation: the first attempt's continues the trace stored
 * with the job at enqueue, as a child of the enqueue's span; a later attempt's starts a trace of its
 * own, linked to the enqueue's span (as River's {@code otelriver} does), so that a trace never grows
 * with every retry and each attempt stays one trace. Register it before Micrometer Tracing's
 * {@link PropagatingReceiverTracingObservationHandler} (the Spring Boot starter does). Needs Micrometer
 * Tracing, an optional dependency of pgqueue-core, on the class path. The link is read
 * from the stored W3C {@code traceparent}; with another propagation format a retry's span has no link.
 */
public class JobExecutionTracingObservationHandler extends PropagatingReceiverTracingObservationHandler<ExecuteObservationContext> {

	// version-traceid-parentid-flags, https://www.w3.org/TR/trace-context/#traceparent-header
	private static final Pattern TRACEPARENT = Pattern
		.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

	private final Tracer tracer;

	public JobExecutionTracingObservationHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
		this.tracer = tracer;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ExecuteObservationContext;
	}

	@Override
	public Span.Builder customizeExtractedSpan(ExecuteObservationContext context, Span.Builder builder) {
		if (context.isRetry()) {
			TraceContext enqueued = enqueueTraceContext(context.getEnqueueTrace());
			if (enqueued != null) {
				return builder.addLink(new Link(enqueued));
			}
		}
		return builder;
	}

	private @Nullable TraceContext enqueueTraceContext(Map<String, String> trace) {
		String traceparent = trace.get("traceparent");
		if (traceparent == null) {
			return null;
		}
		Matcher matcher = TRACEPARENT.matcher(traceparent);
		if (!matcher.matches() || matcher.group(1).chars().allMatch((c) -> c == '0')) {
			return null;
		}
		return this.tracer.traceContextBuilder()
			.traceId(matcher.group(1))
			.spanId(matcher.group(2))
			.sampled((Integer.parseInt(matcher.group(3), 16) & 1) == 1)
			.build();
	}

}
