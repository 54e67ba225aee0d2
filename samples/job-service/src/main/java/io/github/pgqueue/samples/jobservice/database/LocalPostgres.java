package io.github.pgqueue.samples.jobservice.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL server on {@code localhost:5432}, as user {@code postgres} (with the password in
 * {@code PGPASSWORD}, if any): the first of its databases {@code postgres} and {@code test} that
 * accepts a connection is where the service's own database, {@value #SAMPLE_DATABASE}, is created
 * when missing, so that the service leaves nothing in databases it does not own.
 */
public final class LocalPostgres {

	/** The user connected as. */
	public static final String USER = "postgres";

	/** The databases tried, in order. */
	public static final List<String> DATABASES = List.of("postgres", "test");

	/** The service's own database on that server. */
	public static final String SAMPLE_DATABASE = "pgqueue_sample";

	private static final String DUPLICATE_DATABASE = "42P04";

	private LocalPostgres() {
	}

	/**
	 * @param answers whether a JDBC URL accepts a connection
	 * @return the URL of the first database that does
	 */
	static Optional<String> find(Predicate<String> answers) {
		return DATABASES.stream().map(LocalPostgres::url).filter(answers).findFirst();
	}

	/**
	 * Creates {@value #SAMPLE_DATABASE} on the server unless it is there.
	 *
	 * @param maintenanceUrl the URL of a database that {@link #find} found
	 * @return the URL of {@value #SAMPLE_DATABASE}
	 * @throws IllegalStateException when it is missing and cannot be created
	 */
	static String sampleDatabase(String maintenanceUrl) {
		try (Connection connection = DriverManager.getConnection(maintenanceUrl, properties());
				Statement statement = connection.createStatement()) {
			boolean exists;
			try (ResultSet rows = statement
				.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + SAMPLE_DATABASE + "'")) {
				exists = rows.next();
			}
			if (!exists) {
				try {
					statement.execute("CREATE DATABASE " + SAMPLE_DATABASE);
				}
				catch (SQLException ex) {
					// another start created it meanwhile
					if (!DUPLICATE_DATABASE.equals(ex.getSQLState())) {
						throw ex;
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + SAMPLE_DATABASE + " on localhost:5432 as user "
					+ USER + " (" + ex.getMessage() + "): create it, or " + DatabaseChoice.SET_URL, ex);
		}
		return url(SAMPLE_DATABASE);
	}

	/** @return the URL of a database on the server */
	public static String url(String database) {
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
	public static boolean answers(String url) {
		try (Connection connection = DriverManager.getConnection(url, properties())) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** @return the connection properties: {@link #USER}, the password if any, short timeouts */
	public static Properties properties() {
		Properties properties = new Properties();
		properties.setProperty("user", USER);
		String password = password();
		if (password != null) {
			properties.setProperty("password", password);
		}
		properties.setProperty("connectTimeout", "2");
		properties.setProperty("loginTimeout", "3");
		return properties;
	}

}
