package io.github.pgqueue.samples.jobservice.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class DevelopmentDatabaseTests {

	@Test
	void usesTheServicesOwnDatabaseOnTheLocalServerAndStartsNoEmbeddedOne() throws Exception {
		try (DevelopmentDatabase database = DevelopmentDatabase.choose((url) -> true,
				(maintenance) -> "jdbc:postgresql://localhost:5432/own-of-" + maintenance.substring(maintenance.lastIndexOf('/') + 1),
				() -> {
					throw new AssertionError("an embedded server was started although localhost:5432 answers");
				})) {
			assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/own-of-postgres");
			assertThat(database.embedded()).isFalse();
			assertThat(database.choice().reason()).contains("no spring.datasource.url is set")
				.contains(LocalPostgres.SAMPLE_DATABASE)
				.contains("localhost:5432");
		}
	}

	@Test
	void fallsBackToAnEmbeddedServerWhenNothingOnLocalhostAnswers() throws Exception {
		try (DevelopmentDatabase database = DevelopmentDatabase.choose((url) -> false, (maintenance) -> {
			throw new AssertionError("nothing answers, so no database can be created");
		}, () -> new EmbeddedDatabase(null, "jdbc:postgresql://localhost:41234/postgres"))) {
			assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:41234/postgres");
			assertThat(database.embedded()).isTrue();
			assertThat(database.choice().reason()).contains("no spring.datasource.url is set")
				.contains("embedded PostgreSQL");
			assertThat(database.choice().otherwise()).contains("spring.datasource.url");
		}
	}

	@Test
	void failsNamingEveryWayWhenNoEmbeddedServerStartsEither() {
		assertThatIllegalStateException()
			.isThrownBy(() -> DevelopmentDatabase.choose((url) -> false, (maintenance) -> maintenance, () -> {
				throw new IllegalStateException("an embedded PostgreSQL cannot start as root");
			}))
			.withMessageContaining("spring.datasource.url")
			.withMessageContaining("Docker")
			.withMessageContaining("localhost:5432")
			.withMessageContaining("an embedded PostgreSQL cannot start as root");
	}

	@Test
	void theEmbeddedServerAnswersAndIsGoneOnceClosed() throws Exception {
		assumeFalse(EmbeddedDatabase.runsAsRoot(), "PostgreSQL refuses to run as root");
		String url;
		try (DevelopmentDatabase database = DevelopmentDatabase.choose((ignored) -> false, (maintenance) -> maintenance,
				EmbeddedDatabase::start)) {
			url = database.jdbcUrl();
			assertThat(url).doesNotContain(":5432/");
			try (Connection connection = DriverManager.getConnection(url, LocalPostgres.properties());
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(130000);
			}
		}
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(url, LocalPostgres.properties()).close());
	}

}
