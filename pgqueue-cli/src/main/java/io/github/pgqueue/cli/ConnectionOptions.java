package io.github.pgqueue.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the database is: a JDBC URL, a user and a password (or {@code PGPASSWORD}), and the schema
 * pgqueue's tables are in. Every command that reads or writes takes them.
 */
final class ConnectionOptions {

	private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

	@Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:PGQUEUE_URL}",
			description = "The database, as a JDBC URL (jdbc:postgresql://host:5432/db). Default: $PGQUEUE_URL.")
	@Nullable String url;

	@Option(names = "--user", paramLabel = "USER", defaultValue = "${env:PGUSER}",
			description = "The database user. Default: $PGUSER, else the URL's user.")
	@Nullable String user;

	@Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:PGPASSWORD}",
			description = "The user's password. Default: $PGPASSWORD, else the URL's password.")
	@Nullable String password;

	@Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "public",
			description = "The schema pgqueue's tables are in. Default: ${DEFAULT-VALUE}.")
	String schema = "public";

	/**
	 * Opens one connection, for the whole command.
	 * @throws CliFailure naming the URL (without its password) when the database cannot be reached
	 */
	Connection connect() {
		String url = this.url;
		if (url == null || url.isBlank()) {
			throw new CliFailure("no database given: pass --url jdbc:postgresql://host:5432/db (or set PGQUEUE_URL)");
		}
		if (!url.startsWith("jdbc:postgresql:")) {
			throw new CliFailure("--url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), was "
					+ redacted(url));
		}
		Properties properties = new Properties();
		if (this.user != null && !this.user.isEmpty()) {
			properties.setProperty("user", this.user);
		}
		if (this.password != null && !this.password.isEmpty()) {
			properties.setProperty("password", this.password);
		}
		properties.setProperty("ApplicationName", "pgqueue-cli");
		properties.setProperty("connectTimeout", "10");
		try {
			return DriverManager.getConnection(url, properties);
		}
		catch (SQLException ex) {
			throw new CliFailure("cannot connect to " + redacted(url) + ": " + ex.getMessage(), ex);
		}
	}

	/** @return the URL with any password in it replaced by {@code ***} */
	static String redacted(String url) {
		return PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
	}

}
