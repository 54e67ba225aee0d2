package io.github.pgqueue.execute;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Turns a failure into the message and trimmed stack kept in {@code pgqueue_job.errors}.
 */
final class ErrorTrace {

	static final int MAX_MESSAGE = 2000;

	static final int MAX_STACK = 8000;

	private ErrorTrace() {
	}

	static String message(Throwable error) {
		String message = error.getMessage();
		String text = (message != null && !message.isBlank()) ? error.getClass().getName() + ": " + message
				: error.getClass().getName();
		return trim(text, MAX_MESSAGE);
	}

	static String stack(Throwable error) {
		StringWriter writer = new StringWriter();
		error.printStackTrace(new PrintWriter(writer));
		return trim(writer.toString(), MAX_STACK);
	}

	private static String trim(String text, int max) {
		String clean = text.replace('\u0000', ' ');
		return (clean.length() <= max) ? clean : clean.substring(0, max - 3) + "...";
	}

}
