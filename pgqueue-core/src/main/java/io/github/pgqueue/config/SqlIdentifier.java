package io.github.pgqueue.config;

import java.util.regex.Pattern;

/**
 * A plain, unquoted PostgreSQL identifier (such as a schema name), safe to format into SQL.
 */
public final class SqlIdentifier {

	private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private SqlIdentifier() {
	}

	/**
	 * @param name the setting's name, for the message
	 * @param value the identifier
	 * @return the identifier, unchanged
	 * @throws IllegalArgumentException unless it is lower-case letters, digits and underscores, not
	 * starting with a digit, at most 63 characters
	 */
	public static String requireValid(String name, String value) {
		if (value == null || !PLAIN.matcher(value).matches()) {
			throw new IllegalArgumentException(name + " must be a plain SQL identifier (lower-case letters, digits"
					+ " and underscores, not starting with a digit, at most 63 characters), was '" + value + "'");
		}
		return value;
	}

}
