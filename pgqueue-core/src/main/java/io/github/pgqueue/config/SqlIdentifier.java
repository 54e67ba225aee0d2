package io.github.pgqueue.config;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A plain, unquoted PostgreSQL identifier (such as a schema name), safe to format into SQL: the
 * characters of an unquoted identifier, and not a word PostgreSQL reserves, which unquoted would be
 * a syntax error where a name is expected.
 */
public final class SqlIdentifier {

	/**
	 * PostgreSQL 15's keywords that cannot be a schema, table or column name unquoted:
	 * {@code SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')} (reserved, and reserved
	 * but for function or type names). A test compares this list with the server's.
	 */
	public static final Set<String> RESERVED_KEYWORDS = Set.of(
			"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary",
			"both", "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create",
			"cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
			"current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end",
			"except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
			"ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading",
			"left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset",
			"on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning",
			"right", "select", "session_user", "similar", "some", "symmetric", "table", "tablesample", "then", "to",
			"trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window",
			"with");

	private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private SqlIdentifier() {
	}

	/**
	 * @param name the setting's name, for the message
	 * @param value the identifier
	 * @return the identifier, unchanged
	 * @throws IllegalArgumentException unless it is lower-case letters, digits and underscores, not
	 * starting with a digit, at most 63 characters, and not a {@linkplain #RESERVED_KEYWORDS reserved
	 * keyword}
	 */
	public static String requireValid(String name, String value) {
		if (value == null || !PLAIN.matcher(value).matches()) {
			throw new IllegalArgumentException(name + " must be a plain SQL identifier (lower-case letters, digits"
					+ " and underscores, not starting with a digit, at most 63 characters), was '" + value + "'");
		}
		if (RESERVED_KEYWORDS.contains(value)) {
			throw new IllegalArgumentException(name + " must not be a keyword PostgreSQL reserves, was '" + value
					+ "': pick another name");
		}
		return value;
	}

	/**
	 * @param name the setting's name, for the message
	 * @param value a schema name
	 * @return the schema name, unchanged
	 * @throws IllegalArgumentException unless it is {@linkplain #requireValid valid} and not one
	 * PostgreSQL keeps for itself: {@code information_schema}, or any starting with {@code pg_}
	 * ({@code pg_catalog}, {@code pg_toast}, ...), which it refuses to create
	 */
	public static String requireSchema(String name, String value) {
		requireValid(name, value);
		if (value.startsWith("pg_") || value.equals("information_schema")) {
			throw new IllegalArgumentException(name + " must not be a system schema ('information_schema' or one"
					+ " starting with 'pg_'), was '" + value + "'");
		}
		return value;
	}

}
