package io.github.pgqueue;

/**
 * Thrown by a handler to send its job to the dead letter at once, whatever attempts remain.
 */
public class PermanentJobFailureException extends RuntimeException {

	public PermanentJobFailureException(String message) {
		super(message);
	}

	public PermanentJobFailureException(String message, Throwable cause) {
		super(message, cause);
	}

}
