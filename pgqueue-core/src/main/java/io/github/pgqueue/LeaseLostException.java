package io.github.pgqueue;

/**
 * Thrown inside a handler when its worker no longer holds the job's lease (it expired and the job
 * may already run elsewhere): the worker may no longer change the job or record side effects for it.
 */
public class LeaseLostException extends PgQueueException {

	public LeaseLostException(String message) {
		super(message);
	}

}
