package io.github.pgqueue;

import io.github.pgqueue.JobObservationDocumentation.HighCardinalityKeys;
import io.github.pgqueue.JobObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * {@code pgqueue.execute}, with {@code queue}, {@code kind} and {@code outcome}, and the job's id and
 * attempt on the span; the span is named {@code execute <kind>}. Extend it to add keys of your own.
 */
public class DefaultExecuteObservationConvention implements ExecuteObservationConvention {

	/** The shared instance. */
	public static final DefaultExecuteObservationConvention INSTANCE = new DefaultExecuteObservationConvention();

	@Override
	public String getName() {
		return "pgqueue.execute";
	}

	@Override
	public String getContextualName(ExecuteObservationContext context) {
		return "execute " + context.getJobKind();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ExecuteObservationContext context) {
		return LowCardinalityKeys.of(context.getQueue(), context.getJobKind(), context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ExecuteObservationContext context) {
		return KeyValues.of(HighCardinalityKeys.JOB_ID.withValue(Long.toString(context.getJobId())),
				HighCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.getAttempt())));
	}

}
