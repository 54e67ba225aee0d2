package io.github.pgqueue.cli;

/**
 * An operation that could not be done (a job that does not exist, a database that does not answer):
 * the CLI prints its message, without a stack trace, and exits with 1.
 */
final class CliFailure extends RuntimeException {

	CliFailure(String message) {
		super(message);
	}

	CliFailure(String message, Throwable cause) {
		super(message, cause);
	}

}
