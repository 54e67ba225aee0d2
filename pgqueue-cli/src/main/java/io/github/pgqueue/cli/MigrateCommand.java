package io.github.pgqueue.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.pgqueue.schema.SchemaMigrator;
import picocli.CommandLine.Command;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code migrate}: applies the bundled changelog with core's {@link SchemaMigrator}, tracked in the
 * same tables the starter uses, so either may run first and the other then finds nothing to do.
 */
@Command(name = "migrate", description = {
		"Create or update pgqueue's tables in the schema (the bundled changelog, tracked in "
				+ SchemaMigrator.CHANGELOG_TABLE + " as the starter does).",
		"Idempotent: a second run applies nothing." })
final class MigrateCommand extends DatabaseCommand {

	@Override
	boolean needsTables() {
		return false;
	}

	@Override
	void run(Session session, Output out) {
		JdbcClient jdbc = JdbcClient.create(session.dataSource());
		long before = appliedChangeSets(jdbc, session.schema());
		new SchemaMigrator(session.dataSource(), session.schema()).migrate();
		long after = appliedChangeSets(jdbc, session.schema());
		if (out.json()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("schema", session.schema());
			body.put("applied", after - before);
			body.put("changeSets", after);
			out.json(body);
		}
		else if (after == before) {
			out.line("schema " + session.schema() + " is up to date (" + after + " change sets applied before)");
		}
		else {
			out.line("schema " + session.schema() + ": applied " + (after - before) + " change sets (" + after
					+ " in all)");
		}
	}

	private static long appliedChangeSets(JdbcClient jdbc, String schema) {
		String table = schema + "." + SchemaMigrator.CHANGELOG_TABLE;
		boolean exists = jdbc.sql("SELECT to_regclass(:table) IS NOT NULL").param("table", table)
			.query(Boolean.class).single();
		return exists ? jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single() : 0;
	}

}
