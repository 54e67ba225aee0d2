package io.github.pgqueue;

import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * pgqueue's observations and their keys.
 */
public enum JobObservationDocumentation implements ObservationDocumentation {

	/**
	 * An enqueue (one job, or one {@code enqueueAll}): a producer observation, whose trace context is
	 * stored in the jobs' {@code metadata}.
	 */
	ENQUEUE {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultEnqueueObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeys.JOB_ID, HighCardinalityKeys.JOB_COUNT };
		}
	},

	/**
	 * One run of a job's handler: a consumer observation that continues the trace its job was
	 * enqueued in (the first attempt as a child of the enqueue, later ones linked to it).
	 */
	EXECUTE {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultExecuteObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeys.JOB_ID, HighCardinalityKeys.ATTEMPT };
		}
	};

	/** Keys of bounded values, on both the timer and the span. */
	public enum LowCardinalityKeys implements KeyName {

		/** The job's queue ({@code mixed} for an {@code enqueueAll} over several). */
		QUEUE {
			@Override
			public String asString() {
				return "queue";
			}
		},

		/** The job's kind ({@code mixed} for an {@code enqueueAll} over several). */
		KIND {
			@Override
			public String asString() {
				return "kind";
			}
		},

		/**
		 * Enqueue: {@code created}, {@code duplicate} (its idempotency key was taken; for an
		 * {@code enqueueAll}, when no job of it was created) or {@code failed}. Execute: {@code completed}
		 * or {@code failed}.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		};

		/** @return the three keys' values ({@code none} for an outcome not known) */
		static KeyValues of(String queue, String kind, @Nullable String outcome) {
			return KeyValues.of(QUEUE.withValue(queue), KIND.withValue(kind),
					OUTCOME.withValue((outcome != null) ? outcome : "none"));
		}

	}

	/** Keys of unbounded values, on the span only. */
	public enum HighCardinalityKeys implements KeyName {

		/** The job's id (an enqueue of one job, once written; an execution). */
		JOB_ID {
			@Override
			public String asString() {
				return "job.id";
			}
		},

		/** The attempt this run is, from 1. */
		ATTEMPT {
			@Override
			public String asString() {
				return "job.attempt";
			}
		},

		/** How many jobs an {@code enqueueAll} was given. */
		JOB_COUNT {
			@Override
			public String asString() {
				return "job.count";
			}
		}

	}

}
