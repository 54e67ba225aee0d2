package io.github.pgqueue.store;

import io.github.pgqueue.config.SqlIdentifier;

/**
 * pgqueue's tables in one schema, their schema-qualified names formatted once for every store.
 * <p>
 * A template names a table in braces ({@code {job}}, {@code {sideEffect}}, {@code {queue}},
 * {@code {periodic}}, {@code {installation}}); {@link #sql(String)} puts the qualified names in. The schema is a validated
 * plain identifier, so formatting it into SQL is safe.
 *
 * @param schema the schema the tables live in
 */
public record Tables(String schema) {

	private static final String UTC_NOW = utc("now()");

	/**
	 * An expression that makes the statement's own transaction commit without waiting for its WAL to
	 * reach the disk (the statement's implicit transaction, or the one it runs in). For claims and
	 * starts only: a crash of PostgreSQL itself (not a clean stop, which writes all WAL) can lose them
	 * only if no later synchronous commit was made on the server (each one writes all WAL before it),
	 * so no outcome or runOnce step written after them was kept either. A lost start leaves the job
	 * running under the same lease, its attempt uncounted; a lost claim leaves it available, its
	 * attempt uncounted, and the worker's writes under the lost lease refused, since no later claim
	 * takes the lost claim's token again (ClaimStore.NEXT_TOKEN). Completions, failures and the
	 * ledger wait for the disk.
	 */
	static final String ASYNC_COMMIT = "set_config('synchronous_commit', 'off', true)";

	public Tables {
		SqlIdentifier.requireSchema("schema", schema);
	}

	/** @return the job table's schema-qualified name */
	public String job() {
		return this.schema + ".pgqueue_job";
	}

	/** @return the side-effect ledger's schema-qualified name */
	public String sideEffect() {
		return this.schema + ".pgqueue_side_effect";
	}

	/** @return the queue table's schema-qualified name */
	public String queue() {
		return this.schema + ".pgqueue_queue";
	}

	/** @return the periodic job table's schema-qualified name */
	public String periodic() {
		return this.schema + ".pgqueue_periodic";
	}

	/** @return the installation table's schema-qualified name */
	public String installation() {
		return this.schema + ".pgqueue_installation";
	}

	/** @return the LISTEN/NOTIFY channel of this schema's queues (at most 63 characters) */
	public String channel() {
		String channel = "pgqueue_" + this.schema;
		return (channel.length() <= 63) ? channel : channel.substring(0, 63);
	}

	/** @return the template with these tables' names, and {@code {utcNow}}, in place */
	public String sql(String template) {
		return template.replace("{job}", job())
			.replace("{sideEffect}", sideEffect())
			.replace("{queue}", queue())
			.replace("{periodic}", periodic())
			.replace("{installation}", installation())
			.replace("{utcNow}", UTC_NOW);
	}

	/** @return SQL rendering a timestamptz as ISO-8601 in UTC, whatever the session's time zone */
	static String utc(String timestamp) {
		return "to_char(" + timestamp + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
	}

}
