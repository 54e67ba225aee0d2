package io.github.pgqueue;

/**
 * The base of the exceptions pgqueue itself throws.
 */
public class PgQueueException extends RuntimeException {

	public PgQueueException(String message) {
		super(message);
	}

	public PgQueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
