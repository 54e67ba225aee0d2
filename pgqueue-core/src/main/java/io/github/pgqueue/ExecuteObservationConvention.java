package io.github.pgqueue;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and keys of {@code pgqueue.execute} observations; {@link DefaultExecuteObservationConvention}
 * unless the application gives one of its own.
 */
public interface ExecuteObservationConvention extends ObservationConvention<ExecuteObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ExecuteObservationContext;
	}

}
