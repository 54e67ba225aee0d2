package io.github.pgqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and keys of {@code pgqueue.execute} observations; {@link DefaultExecuteObservationConvention}
 * unless the application gives one of its own.
 */
public interface ExecuteObservationConvention extends ObservationConvention<ExecuteContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ExecuteContext;
	}

}
