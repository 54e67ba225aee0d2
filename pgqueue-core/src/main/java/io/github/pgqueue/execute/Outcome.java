package io.github.pgqueue.execute;

import java.time.Duration;

/**
 * What one attempt came to, before it is written.
 */
sealed interface Outcome {

	/** The handler returned. */
	record Completed() implements Outcome {
	}

	/**
	 * The handler failed, or its payload could not be read.
	 * @param error the failure
	 * @param retryDelay the delay before a retry, if attempts remain
	 * @param permanent whether to go dead at once
	 */
	record Failed(Throwable error, Duration retryDelay, boolean permanent) implements Outcome {
	}

}
