package io.github.pgqueue.benchmark;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PgbenchTests {

	@Test
	void takesHostPortUserAndDatabaseFromTheJdbcUrl() {
		Pgbench pgbench = Pgbench.of("pgbench", "jdbc:postgresql://127.0.0.1:5433/wt_bench?user=postgres");

		assertThat(pgbench.connectionOptions()).containsExactly("-h", "127.0.0.1", "-p", "5433", "-U", "postgres", "wt_bench");
	}

	@Test
	void defaultsThePortAndLeavesTheUserToLibpq() {
		Pgbench pgbench = Pgbench.of("pgbench", "jdbc:postgresql://localhost/postgres");

		assertThat(pgbench.connectionOptions()).containsExactly("-h", "localhost", "-p", "5432", "postgres");
	}

	// The scripts run against the real server: every row of the plain table is claimed and completed, each
	// claim taking a full 100 until the table is empty, so rows/s stands for the rows that were drained.
	@Test
	void drainsEveryRowOfThePlainTable() throws SQLException {
		String url = System.getenv().getOrDefault("PGQUEUE_TEST_DATABASE_URL",
				"jdbc:postgresql://localhost:5432/postgres?user=postgres");
		assumeTrue(pgbenchOnPath(), "pgbench is not on the PATH");
		Pgbench pgbench = Pgbench.of("pgbench", url);
		try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
			statement.execute(Pgbench.plainTableSql());
			assertThat(pgbench.batchInserts(2000)).isPositive();

			assertThat(pgbench.drain(2000, 8)).isPositive();

			try (ResultSet rs = statement.executeQuery(
					"SELECT count(*) FILTER (WHERE state = 'done'), count(*) FROM pgqueue_bench_plain.plain_job")) {
				rs.next();
				assertThat(rs.getLong(1)).isEqualTo(2000);
				assertThat(rs.getLong(2)).isEqualTo(2000);
			}
			statement.execute("DROP SCHEMA pgqueue_bench_plain CASCADE");
		}
	}

	static boolean pgbenchOnPath() {
		try {
			return new ProcessBuilder("pgbench", "--version").start().waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
