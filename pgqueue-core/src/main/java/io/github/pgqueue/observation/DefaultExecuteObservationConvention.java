package io.github.pgqueue.observation;

import io.github.pgqueue.observation.JobObservationDocumentation.HighCardinalityKeys;
import io.github.pgqueue.observation.JobObservationDocumentation.LowCardinalityKeys;
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
	public String getContextualName(ExecuteContext context) {
		return "execute " + context.getJobKind();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ExecuteContext context) {
		return LowCardinalityKeys.of(context.getQueue(), context.getJobKind(), context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ExecuteContext context) {
		return KeyValues.of(HighCardinalityKeys.JOB_ID.withValue(Long.toString(context.getJobId())),
				HighCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.getAttempt())));
	}

}
