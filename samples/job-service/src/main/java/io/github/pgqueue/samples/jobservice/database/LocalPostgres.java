package io.github.pgqueue.samples.jobservice.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL server on {@code localhost:5432}, as user {@code postgres} (with the password in
 * {@code PGPASSWORD}, if any): the first of its databases {@code postgres} and {@code test} that
 * accepts a connection.
 */
public final class LocalPostgres {

	/** The user connected as. */
	public static final String USER = "postgres";

	/** The databases tried, in order. */
	public static final List<String> DATABASES = List.of("postgres", "test");

	private LocalPostgres() {
	}

	/**
	 * @param answers whether a JDBC URL accepts a connection
	 * @return the URL of the first database that does
	 */
	static Optional<String> find(Predicate<String> answers) {
		return DATABASES.stream().map(LocalPostgres::url).filter(answers).findFirst();
	}

	static String url(String database) {
		return "jdbc:postgresql://localhost:5432/" + database;
	}

	static @Nullable String password() {
		String password = System.getenv("PGPASSWORD");
		return (password != null && !password.isEmpty()) ? password : null;
	}

	/**
	 * @param url a JDBC URL
	 * @return whether it accepts a connection as {@link #USER} within a few seconds
	 */
	static boolean answers(String url) {
		Properties properties = new Properties();
		properties.setProperty("user", USER);
		String password = password();
		if (password != null) {
			properties.setProperty("password", password);
		}
		properties.setProperty("connectTimeout", "2");
		properties.setProperty("loginTimeout", "3");
		try (Connection connection = DriverManager.getConnection(url, properties)) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

}
