package io.github.pgqueue.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole benchmark, at a tiny size on a database of its own, so that CI notices when a figure can
 * no longer be measured (the figures themselves are never asserted: speed lives in the README).
 */
class BenchmarkSmokeTests {

	private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

	private static final String DATABASE = "pgqueue_benchmark_smoke";

	@BeforeEach
	void createDatabase() throws SQLException {
		admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)", "CREATE DATABASE " + DATABASE);
	}

	@AfterEach
	void dropDatabase() throws SQLException {
		admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
	}

	@Test
	void printsEveryFigureOfATinyRun() throws Exception {
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = System.out;
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			Benchmark.main(new String[] { "--url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE + "?user=postgres",
					"--jobs", "300", "--runs", "1", "--retained", "2000", "--pgbench", "none", "--nodes", "0",
					"--singles", "50", "--latency-jobs", "5", "--latency-pause", "5", "--horizon", "2" });
		}
		finally {
			System.setOut(out);
		}
		String printed = captured.toString(StandardCharsets.UTF_8);
		System.out.print(printed);

		assertThat(printed).contains("| pgqueue: drain no-op jobs, concurrency 16, 1 node (jobs/s) |",
				"| pgqueue: JVM CPU per single enqueue, calling thread, no observation registry (microseconds) |",
				"| pgqueue: enqueueAll in batches of 1,000 (jobs/s) |",
				"| pgqueue: WAL written per job by the drain (claim, start, complete; bytes) |",
				"| pgqueue: enqueue->start latency p99, notify, enqueued by another node (ms) |",
				"| pgqueue: drain, REPEATABLE READ snapshot held elsewhere, last batch (jobs/s) |",
				"| pgqueue: dead tuples in pgqueue_job when the snapshot ends |",
				"| pgqueue: drain after the snapshot ended, first batch (jobs/s) |",
				"| pgqueue: drain, concurrency 16, finished jobs retained (jobs/s) |",
				"| pgqueue: drain, concurrency 16, empty table, alternating with the retained drains (jobs/s) |",
				"| drain with finished jobs retained / empty table, alternating |",
				"| drain at the end of a held horizon / its start |");
	}

	@Test
	void measuresOneFigureAlone() throws Exception {
		String drain = run("--only", "drain");
		assertThat(drain).contains("| pgqueue: drain no-op jobs, concurrency 16, 1 node (jobs/s) |")
			.doesNotContain("enqueueAll");
		String enqueue = run("--only", "enqueue");
		assertThat(enqueue).contains("| pgqueue: enqueue one at a time, 1 client, no observation registry (jobs/s) |",
				"| pgqueue: JVM CPU per single enqueue, calling thread, no observation registry (microseconds) |")
			.doesNotContain("drain");
		String latency = run("--only", "latency", "--latency-jobs", "5", "--latency-pause", "1");
		assertThat(latency).contains("| plain JDBC: single-row INSERT round trip at low load p99 (ms) |",
				"| plain JDBC: INSERT with pg_notify, to another connection's LISTEN receiving it, p99 (ms) |",
				"| pgqueue: enqueue->start latency p99, notify, enqueued by another node (ms) |",
				"| pgqueue: enqueue->start latency p99, enqueued by the worker's own node (ms) |")
			.doesNotContain("drain");
	}

	// pgbench runs pgqueue's own statements (claim, starts, completions) on its job table; the benchmark
	// fails unless every job ends completed with its one attempt counted, so the figure stands for jobs
	// drained the way the engine drains them
	@Test
	void drainsThePgqueueTableWithItsOwnStatementsUnderPgbench() throws Exception {
		assumeTrue(PgbenchTests.pgbenchOnPath(), "pgbench is not on the PATH");
		String drain = run("--only", "drain", "--jobs", "600", "--pgbench", "pgbench");
		assertThat(drain).containsPattern(
				"\\| pgbench: pgqueue's own drain statements on its job table \\(claim 256, starts of 16, completions of 32\\), "
						+ "3 clients, no JVM \\(jobs/s\\) \\| [1-9][0-9,.]* \\|")
			.contains("| pgbench running pgqueue's own statements / pgbench claim+complete |");
	}

	// worker JVMs of their own drain together, each with its CPU per job beside PostgreSQL's
	@Test
	void drainsWithWorkerJvmsOfTheirOwn() throws Exception {
		String nodes = run("--only", "nodes", "--nodes", "2");
		assertThat(nodes).containsPattern("\\| pgqueue: drain, concurrency 16 each, 2 worker JVMs on one database \\(jobs/s\\) \\| [1-9]")
			.containsPattern("\\| pgqueue: CPU per job during the drain by 2 worker JVMs, the worker JVMs \\(microseconds\\) \\| [1-9]")
			.contains("| 2 worker JVMs / 1 worker JVM |")
			.doesNotContain("enqueueAll");
	}

	@Test
	void printsPgqueuesOwnStatementsAsAPgbenchScript() throws Exception {
		String script = run("--print-script", "own");
		assertThat(script.split("\\n")).filteredOn((line) -> line.startsWith("UPDATE pgqueue_bench.pgqueue_job AS j"))
			.hasSize(256 / 16 + 256 / 32);
		assertThat(script).contains("\\gset", "FOR UPDATE SKIP LOCKED", "(CAST(:ids AS bigint[]))[241:256]");
		String withoutStarts = run("--print-script", "own-without-starts");
		assertThat(withoutStarts.split("\\n")).filteredOn((line) -> line.startsWith("UPDATE pgqueue_bench.pgqueue_job AS j"))
			.hasSize(256 / 32);
		assertThat(withoutStarts).contains("attempt = j.attempt + 1");
		assertThatThrownBy(() -> run("--print-script", "plain")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("--print-script takes 'own' or 'own-without-starts', not 'plain'");
	}

	@Test
	void refusesAFigureItDoesNotKnow() {
		assertThatThrownBy(() -> run("--only", "horizon")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("--only takes 'drain', 'enqueue', 'latency', 'nodes' or 'retained', not 'horizon'");
	}

	private static String run(String... options) throws Exception {
		String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--url",
				"jdbc:postgresql://127.0.0.1:5432/" + DATABASE + "?user=postgres", "--jobs", "300", "--runs", "1",
				"--pgbench", "none", "--singles", "50"), java.util.Arrays.stream(options)).toArray(String[]::new);
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = System.out;
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			Benchmark.main(args);
		}
		finally {
			System.setOut(out);
		}
		return captured.toString(StandardCharsets.UTF_8);
	}

	private static void admin(String... statements) throws SQLException {
		try (Connection connection = DriverManager.getConnection(ADMIN_URL); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

}
