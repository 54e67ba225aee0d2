package io.github.pgqueue.samples.jobservice.api;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A submission rejected at the edge: answered with {@code 400} and a problem naming the bad field;
 * nothing was enqueued.
 */
public class InvalidSubmissionException extends RuntimeException {

	private final @Nullable String field;

	private final Map<String, Object> properties;

	/**
	 * @param field the bad field, as a path into the request body ({@code payload.to}), or
	 * {@code null} when the body as a whole is bad
	 * @param detail what is wrong, for a person
	 * @param properties more to tell the client, such as the accepted values
	 */
	public InvalidSubmissionException(@Nullable String field, String detail, Map<String, Object> properties) {
		super(detail);
		this.field = field;
		this.properties = Map.copyOf(properties);
	}

	public InvalidSubmissionException(@Nullable String field, String detail) {
		this(field, detail, Map.of());
	}

	public @Nullable String getField() {
		return this.field;
	}

	public Map<String, Object> getProperties() {
		return this.properties;
	}

}
