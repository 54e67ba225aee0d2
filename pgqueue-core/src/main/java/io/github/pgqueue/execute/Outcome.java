package io.github.pgqueue.execute;

/**
 * What one attempt came to, before it is written.
 */
sealed interface Outcome {

	/** The handler returned. */
	record Completed() implements Outcome {
	}

	/**
	 * The handler failed, timed out, or its payload could not be read; the retry policy decides what
	 * the job becomes.
	 * @param error the failure
	 */
	record Failed(Throwable error) implements Outcome {
	}

}
