package io.github.pgqueue.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs the scripts of {@code samples/benchmark/pgbench} with PostgreSQL's own C client, {@code pgbench -M prepared},
 * against the plain table the JDBC plain figures use: what the database reaches with a client that costs next
 * to nothing. Each figure is pgbench's own {@code tps} (without the initial connection time) times the rows per
 * transaction.
 */
final class Pgbench {

	/** The scripts, as the jar carries them (copied from {@code samples/benchmark/pgbench}). */
	static final List<String> SCRIPTS = List.of("plain-table.sql", "insert-single.sql", "insert-batch.sql",
			"claim-complete.sql");

	private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

	private final String executable;

	private final List<String> connection;

	private final Map<String, String> environment;

	private final Path scripts;

	private Pgbench(String executable, List<String> connection, Map<String, String> environment, Path scripts) {
		this.executable = executable;
		this.connection = connection;
		this.environment = environment;
		this.scripts = scripts;
	}

	/**
	 * @param executable the pgbench to run ({@code pgbench} finds it on the PATH)
	 * @param jdbcUrl the benchmark's own {@code jdbc:postgresql://host:port/database?user=...} URL, turned into
	 * pgbench's connection options
	 */
	static Pgbench of(String executable, String jdbcUrl) {
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		Map<String, String> query = new LinkedHashMap<>();
		if (uri.getQuery() != null) {
			for (String pair : uri.getQuery().split("&")) {
				int equals = pair.indexOf('=');
				query.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
			}
		}
		List<String> connection = new ArrayList<>(List.of("-h", uri.getHost().replaceAll("^\\[|\\]$", ""), "-p",
				String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort())));
		if (query.containsKey("user")) {
			connection.addAll(List.of("-U", query.get("user")));
		}
		connection.add(uri.getPath().substring(1));
		Map<String, String> environment = query.containsKey("password") ? Map.of("PGPASSWORD", query.get("password"))
				: Map.of();
		return new Pgbench(executable, connection, environment, extractScripts());
	}

	/** @return pgbench's connection options and database name, as they follow the script on its command line */
	List<String> connectionOptions() {
		return List.copyOf(this.connection);
	}

	/** @return the statements that create (or re-create, empty) the plain table, shared with the JDBC side */
	static String plainTableSql() {
		return read("plain-table.sql");
	}

	/** @return single-row INSERTs per second, 1 client */
	double singleInserts(int rows) {
		return tps(List.of("-c", "1", "-t", String.valueOf(rows), "-D", "payload={\"n\": 1}"), "insert-single.sql");
	}

	/** @return rows per second inserted by INSERTs of 1,000 rows, 1 client */
	double batchInserts(int rows) {
		String payloads = IntStream.range(0, 1000)
			.mapToObj((i) -> "\"{\\\"n\\\": " + i + "}\"")
			.collect(Collectors.joining(",", "{", "}"));
		return 1000 * tps(List.of("-c", "1", "-t", String.valueOf(Math.max(1, rows / 1000)), "-D", "payloads=" + payloads),
				"insert-batch.sql");
	}

	/**
	 * Drains a plain table holding {@code rows} available rows: each client runs its share of claim-100-then-complete
	 * transactions. Clients run a fixed count, so the count is rounded up; the caller checks the table is drained.
	 * @return rows per second: the rows over the time pgbench took for every transaction
	 */
	double drain(int rows, int clients) {
		return drain(rows, 100, clients, List.of(), "claim-complete.sql");
	}

	/**
	 * Drains pgqueue's job table holding {@code rows} available jobs with pgqueue's own statements
	 * ({@link io.github.pgqueue.store.OwnStatementsScript}): each client runs its share of scripts, each a claim
	 * and the starts and completions of its jobs. Rounded up as {@link #drain(int, int)} is.
	 * @param script the script's text
	 * @param variables the script's variables, each given with {@code -D}
	 * @return jobs per second: the jobs over the time pgbench took for every script
	 */
	double ownStatementsDrain(String script, Map<String, String> variables, int rows, int clients) {
		List<String> definitions = new ArrayList<>();
		variables.forEach((name, value) -> definitions.addAll(List.of("-D", name + "=" + value)));
		try {
			Path file = Files.createTempFile(this.scripts, "own-statements-", ".sql");
			file.toFile().deleteOnExit();
			Files.writeString(file, script);
			return drain(rows, io.github.pgqueue.store.OwnStatementsScript.CLAIM, clients, definitions,
					file.getFileName().toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// each client runs its share of the script, each run taking up to perScript rows; clients run a fixed
	// count, so the count is rounded up: rows per second over the time pgbench took for every run
	private double drain(int rows, int perScript, int clients, List<String> definitions, String script) {
		int perClient = (rows + perScript * clients - 1) / (perScript * clients);
		List<String> options = new ArrayList<>(List.of("-c", String.valueOf(clients), "-j", String.valueOf(clients), "-t",
				String.valueOf(perClient)));
		options.addAll(definitions);
		return rows * tps(options, script) / ((double) perClient * clients);
	}

	private double tps(List<String> options, String script) {
		List<String> command = new ArrayList<>(List.of(this.executable, "-n", "-M", "prepared"));
		command.addAll(options);
		command.addAll(List.of("-f", this.scripts.resolve(script).toString()));
		command.addAll(this.connection);
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().putAll(this.environment);
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int exit = process.waitFor();
			Matcher tps = TPS.matcher(output);
			if (exit != 0 || !tps.find() || !output.contains("number of failed transactions: 0 ")) {
				throw new IllegalStateException("pgbench " + script + " failed (exit " + exit + "):\n" + output);
			}
			return Double.parseDouble(tps.group(1));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not run " + this.executable + " (--pgbench names it)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path extractScripts() {
		try {
			Path directory = Files.createTempDirectory("pgqueue-pgbench-");
			directory.toFile().deleteOnExit();
			for (String script : SCRIPTS) {
				Path file = directory.resolve(script);
				Files.writeString(file, read(script));
				file.toFile().deleteOnExit();
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(String script) {
		try (InputStream in = Pgbench.class.getResourceAsStream("/pgbench/" + script)) {
			if (in == null) {
				throw new IllegalStateException("the jar carries no pgbench/" + script);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
