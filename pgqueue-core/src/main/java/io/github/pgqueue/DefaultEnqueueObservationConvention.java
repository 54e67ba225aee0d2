package io.github.pgqueue;

import io.github.pgqueue.JobObservationDocumentation.HighCardinalityKeys;
import io.github.pgqueue.JobObservationDocumentation.LowCardinalityKeys;
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
	public String getContextualName(EnqueueObservationContext context) {
		return "enqueue " + context.getJobKind();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(EnqueueObservationContext context) {
		return LowCardinalityKeys.of(context.getQueue(), context.getJobKind(), context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(EnqueueObservationContext context) {
		Long id = context.getJobId();
		if (context.getJobCount() != 1) {
			return KeyValues.of(HighCardinalityKeys.JOB_COUNT.withValue(Integer.toString(context.getJobCount())));
		}
		return (id != null) ? KeyValues.of(HighCardinalityKeys.JOB_ID.withValue(id.toString())) : KeyValues.empty();
	}

}
