package io.github.pgqueue.observation;

import io.github.pgqueue.observation.JobObservationDocumentation.HighCardinalityKeys;
import io.github.pgqueue.observation.JobObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * {@code pgqueue.enqueue}, with {@code queue}, {@code kind} and {@code outcome}, and the job's id (or,
 * for an {@code enqueueAll}, the number of jobs) on the span; the span is named {@code enqueue <kind>}.
 * Extend it to add keys of your own.
 */
public class DefaultEnqueueObservationConvention implements EnqueueObservationConvention {

	/** The shared instance. */
	public static final DefaultEnqueueObservationConvention INSTANCE = new DefaultEnqueueObservationConvention();

	@Override
	public String getName() {
		return "pgqueue.enqueue";
	}

	@Override
	public String getContextualName(EnqueueContext context) {
		return "enqueue " + context.getJobKind();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(EnqueueContext context) {
		return LowCardinalityKeys.of(context.getQueue(), context.getJobKind(), context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(EnqueueContext context) {
		Long id = context.getJobId();
		if (context.getJobCount() != 1) {
			return KeyValues.of(HighCardinalityKeys.JOB_COUNT.withValue(Integer.toString(context.getJobCount())));
		}
		return (id != null) ? KeyValues.of(HighCardinalityKeys.JOB_ID.withValue(id.toString())) : KeyValues.empty();
	}

}
