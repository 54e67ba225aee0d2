package io.github.pgqueue.config;

/**
 * Text PostgreSQL stores exactly as Java holds it: no NUL character (which a {@code text} column
 * cannot hold at all) and no lone UTF-16 surrogate (which the driver's UTF-8 encoding turns into
 * {@code ?}, so that two different values would be stored as one).
 */
public final class StorableText {

	private StorableText() {
	}

	/**
	 * @param field the field's name, for the message
	 * @param value the text
	 * @return the text, unchanged
	 * @throws IllegalArgumentException naming the field and where the character is, if it holds a NUL
	 * character or a lone surrogate
	 */
	public static String require(String field, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\0') {
				throw new IllegalArgumentException(field + " must not contain a NUL character (\\u0000), which"
						+ " PostgreSQL cannot store; found one at index " + i);
			}
			if (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new IllegalArgumentException(field + " must not contain a lone UTF-16 surrogate, which"
						+ " PostgreSQL would store as '?'; found \\u" + Integer.toHexString(c).toUpperCase()
						+ " at index " + i);
			}
		}
		return value;
	}

}
