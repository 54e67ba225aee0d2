package io.github.pgqueue;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code pgqueue.enqueue} observation. Its carrier is the trace context to store
 * with the job: what a tracing handler's propagator sets there (W3C {@code traceparent}, and
 * {@code tracestate} when there is one) is written into the job's {@code metadata}.
 */
public final class EnqueueObservationContext extends SenderContext<Map<String, String>> {

	/** The value of {@code queue} and {@code kind} for an {@code enqueueAll} over several. */
	public static final String MIXED = "mixed";

	private final String queue;

	private final String jobKind;

	private final int jobCount;

	private @Nullable Long jobId;

	private @Nullable String outcome;

	/**
	 * @param queue the queue, or {@link #MIXED}
	 * @param jobKind the kind, or {@link #MIXED}
	 * @param jobCount how many jobs are enqueued
	 */
	public EnqueueObservationContext(String queue, String jobKind, int jobCount) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		}, Kind.PRODUCER);
		setCarrier(new LinkedHashMap<>());
		this.queue = queue;
		this.jobKind = jobKind;
		this.jobCount = jobCount;
		setRemoteServiceName("pgqueue");
	}

	public String getQueue() {
		return this.queue;
	}

	public String getJobKind() {
		return this.jobKind;
	}

	public int getJobCount() {
		return this.jobCount;
	}

	/** @return the id of the one job enqueued, once written (created or found a duplicate) */
	public @Nullable Long getJobId() {
		return this.jobId;
	}

	public void setJobId(@Nullable Long jobId) {
		this.jobId = jobId;
	}

	/** @return {@code created}, {@code duplicate} or {@code failed}; {@code null} while it runs */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

}
