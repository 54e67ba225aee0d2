package io.github.pgqueue.autoconfigure;

import javax.sql.DataSource;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgqueue's own start-up errors end in a description and an action, as Spring Boot's do: a database
 * that is not PostgreSQL (H2, as spring-petclinic's default profile uses), a database that does not exist.
 */
class StartupFailureAnalysisTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class))
		.withPropertyValues("pgqueue.worker.enabled=false");

	@Test
	void saysPgQueueNeedsPostgreSqlNamingTheDatabaseFoundAndTheWayOut() {
		this.runner.withBean(DataSource.class, StartupFailureAnalysisTests::h2).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("pgqueue needs PostgreSQL", "H2", "jdbc:h2:mem:petclinic");
			assertThat(analysis.getAction()).contains("pgqueue.enabled=false");
		});
	}

	@Test
	void startsWithoutPgQueueOnH2WhenDisabled() {
		this.runner.withBean(DataSource.class, StartupFailureAnalysisTests::h2)
			.withPropertyValues("pgqueue.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(JobQueue.class));
	}

	@Test
	void saysWhenTheDatabaseCannotBeReached() {
		String missing = TestDatabase.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1pgq_no_such_database");
		this.runner.withBean(DataSource.class, () -> new DriverManagerDataSource(missing)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("pgqueue could not reach its database",
					"pgq_no_such_database");
			assertThat(analysis.getAction()).contains("spring.datasource.url", "pgqueue.migrate=false");
		});
	}

	private static DataSource h2() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:petclinic;DB_CLOSE_DELAY=-1");
		return h2;
	}

}
