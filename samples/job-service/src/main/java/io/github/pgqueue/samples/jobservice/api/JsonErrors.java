package io.github.pgqueue.samples.jobservice.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns Jackson's reading errors into an {@link InvalidSubmissionException} that names the field in
 * the request body's terms ({@code maxAttempts}, {@code payload.width}) and says what was expected.
 */
final class JsonErrors {

	private JsonErrors() {
	}

	/**
	 * @param ex a reading error
	 * @param prefix the path of the JSON read, within the request body ({@code ""} for the body
	 * itself, {@code "payload"} for a payload)
	 * @param knownFields the fields the JSON read may have, for an unknown one
	 * @return the rejection
	 */
	static InvalidSubmissionException rejection(JacksonException ex, String prefix, Collection<String> knownFields) {
		String field = field(ex, prefix);
		if (ex instanceof UnrecognizedPropertyException unknown) {
			String where = prefix.isEmpty() ? "the request" : "the " + prefix;
			return new InvalidSubmissionException(field, "unknown field '" + unknown.getPropertyName() + "' in " + where
					+ "; its fields are " + String.join(", ", knownFields), Map.of("knownFields", knownFields));
		}
		if (ex instanceof InputCoercionException range) {
			String at = pointerField(ex, prefix);
			return new InvalidSubmissionException(at, ((at != null) ? at : "a number") + " is out of range: "
					+ range.getOriginalMessage());
		}
		if (ex instanceof StreamReadException && !(ex instanceof MismatchedInputException)) {
			return malformed(ex);
		}
		if (field == null) {
			return new InvalidSubmissionException(null, "the request body must be a JSON object with type and payload");
		}
		if (ex instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
			return new InvalidSubmissionException(field, field + " must be " + expected(invalid.getTargetType())
					+ ", was " + invalid.getValue());
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return new InvalidSubmissionException(field, field + " must be " + expected(mismatch.getTargetType()));
		}
		return new InvalidSubmissionException(field, field + " is invalid: " + ex.getOriginalMessage());
	}

	/**
	 * @param ex an error in the JSON syntax itself
	 * @return the rejection, with where the JSON broke
	 */
	static InvalidSubmissionException malformed(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		String at = (location != null && location.getLineNr() > 0)
				? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
		String pointer = pointer(ex);
		String in = (pointer != null && !pointer.isEmpty()) ? " (in " + pointer + ")" : "";
		return new InvalidSubmissionException(null, "malformed JSON" + at + in + ": " + ex.getOriginalMessage());
	}

	private static @Nullable String pointer(JacksonException ex) {
		if (ex.processor() instanceof JsonParser parser) {
			return parser.streamReadContext().pathAsPointer().toString();
		}
		return null;
	}

	private static @Nullable String pointerField(JacksonException ex, String prefix) {
		String pointer = pointer(ex);
		if (pointer == null || pointer.length() <= 1) {
			return prefix.isEmpty() ? null : prefix;
		}
		String path = pointer.substring(1).replace('/', '.');
		return prefix.isEmpty() ? path : prefix + "." + path;
	}

	private static @Nullable String field(JacksonException ex, String prefix) {
		StringBuilder path = new StringBuilder(prefix);
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? null : path.toString();
	}

	private static String expected(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class
				|| type == Short.class || type == short.class || type == BigInteger.class) {
			return "an integer";
		}
		if (type == Double.class || type == double.class || type == Float.class || type == float.class
				|| type == BigDecimal.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type == URI.class) {
			return "a URL";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type) || type.isRecord()) {
			return "a JSON object";
		}
		return "a " + type.getSimpleName();
	}

}
