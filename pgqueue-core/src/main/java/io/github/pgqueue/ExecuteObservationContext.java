package io.github.pgqueue;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code pgqueue.execute} observation. For a job's first attempt its carrier is the
 * trace context stored at enqueue, so the execution's span is a child of the enqueue's. A later
 * attempt's carrier is empty, so it starts a trace of its own; {@link #getEnqueueTrace()} still holds
 * the stored context, which {@code JobExecutionTracingObservationHandler} links the span to.
 */
public final class ExecuteObservationContext extends ReceiverContext<Map<String, String>> {

	private final String queue;

	private final String jobKind;

	private final long jobId;

	private final int attempt;

	private final Map<String, String> enqueueTrace;

	private @Nullable String outcome;

	/**
	 * @param enqueueTrace the trace context stored with the job at enqueue (empty when none was)
	 */
	public ExecuteObservationContext(String queue, String jobKind, long jobId, int attempt, Map<String, String> enqueueTrace) {
		super((carrier, key) -> (carrier != null) ? carrier.get(key) : null, Kind.CONSUMER);
		this.queue = queue;
		this.jobKind = jobKind;
		this.jobId = jobId;
		this.attempt = attempt;
		this.enqueueTrace = Map.copyOf(enqueueTrace);
		setCarrier(isRetry() ? Map.of() : this.enqueueTrace);
		setRemoteServiceName("pgqueue");
	}

	public String getQueue() {
		return this.queue;
	}

	public String getJobKind() {
		return this.jobKind;
	}

	public long getJobId() {
		return this.jobId;
	}

	/** @return the attempt this run is, from 1 */
	public int getAttempt() {
		return this.attempt;
	}

	/** @return whether this run is a later attempt, whose span is linked to the enqueue rather than its child */
	public boolean isRetry() {
		return this.attempt > 1;
	}

	/** @return the trace context stored with the job at enqueue, whatever the attempt */
	public Map<String, String> getEnqueueTrace() {
		return this.enqueueTrace;
	}

	/** @return {@code completed} or {@code failed}; {@code null} while the handler runs */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

}
