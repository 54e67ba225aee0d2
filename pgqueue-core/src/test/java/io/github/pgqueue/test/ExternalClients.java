package io.github.pgqueue.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Runs the real {@code psql} binary and a Node.js script using node-postgres ({@code src/test/node})
 * against the database {@link TestDatabase} found, connecting through libpq's environment
 * ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}), which both read.
 * The Node.js client's dependencies are installed once with {@code npm ci --prefer-offline} into
 * {@code target/node-producer}: after the first install, npm's cache serves them offline. Paths are
 * relative to pgqueue-core's directory, Surefire's working directory for its tests.
 */
public final class ExternalClients {

	/** What a client printed, and how it exited. */
	public record Result(int exitCode, String stdout, String stderr) {

		public Result requireSuccess() {
			if (this.exitCode != 0) {
				throw new AssertionError("exited with " + this.exitCode + "\nstdout: " + this.stdout + "\nstderr: "
						+ this.stderr);
			}
			return this;
		}

	}

	private static final Path NODE_SOURCES = Path.of("src/test/node");

	private static final Path NODE_INSTALL = Path.of("target/node-producer");

	private static boolean nodeInstalled;

	private ExternalClients() {
	}

	/**
	 * Runs a psql script: {@code -X} (no psqlrc), unaligned tuples only, stopping at the first error,
	 * errors with their SQLSTATE ({@code VERBOSITY=verbose}).
	 */
	public static Result psql(String script) {
		return run(List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose"), Map.of(),
				script);
	}

	/** Runs a psql script file as a DBA would: {@code psql -f file}, stopping at the first error. */
	public static Result psqlFile(Path file) {
		return run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.toAbsolutePath().toString()), Map.of(),
				"");
	}

	/**
	 * Runs {@code src/test/node/enqueue.mjs} with the calls (a JSON array) on its stdin.
	 * @return its stdout: a JSON array of results
	 */
	public static String nodeEnqueue(String schema, String callsJson) {
		Path script = installNode().resolve("enqueue.mjs");
		return run(List.of("node", script.toAbsolutePath().toString()), Map.of("PGQUEUE_SCHEMA", schema), callsJson)
			.requireSuccess()
			.stdout();
	}

	private static synchronized Path installNode() {
		try {
			Files.createDirectories(NODE_INSTALL);
			boolean lockChanged = !Files.exists(NODE_INSTALL.resolve("package-lock.json")) || Files
				.mismatch(NODE_SOURCES.resolve("package-lock.json"), NODE_INSTALL.resolve("package-lock.json")) != -1;
			for (String file : List.of("package.json", "package-lock.json", "enqueue.mjs")) {
				Files.copy(NODE_SOURCES.resolve(file), NODE_INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
			if (!nodeInstalled && (lockChanged || !Files.exists(NODE_INSTALL.resolve("node_modules/pg/package.json")))) {
				List<String> npm = List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error");
				Result result = run(npm, Map.of(), "", NODE_INSTALL);
				if (result.exitCode() != 0) {
					throw new AssertionError("npm ci in " + NODE_INSTALL + " failed: " + result.stderr());
				}
			}
			nodeInstalled = true;
			return NODE_INSTALL;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Result run(List<String> command, Map<String, String> env, String stdin) {
		return run(command, env, stdin, Path.of("."));
	}

	private static Result run(List<String> command, Map<String, String> env, String stdin, Path directory) {
		try {
			Path out = Files.createTempFile("pgqueue-client", ".out");
			Path err = Files.createTempFile("pgqueue-client", ".err");
			try {
				ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
					.redirectOutput(out.toFile())
					.redirectError(err.toFile());
				builder.environment().putAll(connectionEnvironment());
				builder.environment().putAll(env);
				Process process;
				try {
					process = builder.start();
				}
				catch (IOException ex) {
					throw new AssertionError("cannot run " + command.get(0) + " (is it installed and on the PATH?): "
							+ ex.getMessage(), ex);
				}
				try (var input = process.getOutputStream()) {
					input.write(stdin.getBytes(StandardCharsets.UTF_8));
				}
				if (!process.waitFor(120, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new AssertionError(command + " did not end within 120 s");
				}
				return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	// libpq's variables for the database the tests use, from its JDBC URL and the pool's credentials
	private static Map<String, String> connectionEnvironment() {
		HikariDataSource dataSource = TestDatabase.sharedDataSource();
		URI uri = URI.create(dataSource.getJdbcUrl().substring("jdbc:".length()));
		Map<String, String> env = new HashMap<>();
		env.put("PGHOST", (uri.getHost() != null) ? uri.getHost() : "localhost");
		env.put("PGPORT", Integer.toString((uri.getPort() != -1) ? uri.getPort() : 5432));
		env.put("PGDATABASE", uri.getPath().substring(1));
		env.put("PGTZ", TestDatabase.SESSION_TIME_ZONE);
		if (uri.getQuery() != null) {
			for (String pair : uri.getQuery().split("&")) {
				String[] nameValue = pair.split("=", 2);
				if (nameValue.length == 2 && nameValue[0].equals("user")) {
					env.put("PGUSER", nameValue[1]);
				}
				if (nameValue.length == 2 && nameValue[0].equals("password")) {
					env.put("PGPASSWORD", nameValue[1]);
				}
			}
		}
		if (dataSource.getUsername() != null) {
			env.put("PGUSER", dataSource.getUsername());
		}
		if (dataSource.getPassword() != null) {
			env.put("PGPASSWORD", dataSource.getPassword());
		}
		return env;
	}

}
