package io.github.pgqueue.autoconfigure.diagnostics;

/**
 * pgqueue cannot start in this application: what is wrong and what to do, reported at startup by
 * {@link PgQueueFailureAnalyzer} as Spring Boot reports its own start-up errors.
 */
public class PgQueueStartupException extends RuntimeException {

	private final String description;

	private final String action;

	public PgQueueStartupException(String description, String action) {
		this(description, action, null);
	}

	public PgQueueStartupException(String description, String action, @org.jspecify.annotations.Nullable Throwable cause) {
		super(description + " " + action, cause);
		this.description = description;
		this.action = action;
	}

	/** @return what is wrong */
	public String getDescription() {
		return this.description;
	}

	/** @return what to do about it */
	public String getAction() {
		return this.action;
	}

}
