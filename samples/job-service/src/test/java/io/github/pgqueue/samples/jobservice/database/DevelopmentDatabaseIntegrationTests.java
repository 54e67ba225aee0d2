package io.github.pgqueue.samples.jobservice.database;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With no {@code spring.datasource.url} and no Docker engine (as on the machines this project
 * builds on), the service connects to its own database on the PostgreSQL on localhost:5432, creating
 * it when missing, and says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevelopmentDatabaseIntegrationTests {

	@Test
	void withoutAUrlOrDockerTheServerOnLocalhostIsUsedAndNamed(CapturedOutput output) {
		assumeFalse(DockerProbe.isDockerAvailable(), "Docker answers here: a container would be used instead");
		assumeTrue(LocalPostgres.find(LocalPostgres::answers).isPresent(), "no PostgreSQL on localhost:5432");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withUserConfiguration(ScannedDatabasePackage.class)
			.run((context) -> {
				JdbcConnectionDetails details = context.getBean(JdbcConnectionDetails.class);
				assertThat(details.getJdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/" + LocalPostgres.SAMPLE_DATABASE);
				assertThat(details.getUsername()).isEqualTo("postgres");
				assertThat(context.getBean(DatabaseChoice.class).reason()).contains("localhost:5432");
				assertThat(JdbcClient.create(context.getBean(DataSource.class))
					.sql("SELECT current_database()")
					.query(String.class)
					.single()).isEqualTo(LocalPostgres.SAMPLE_DATABASE);
			});
		assertThat(output).contains("No spring.datasource.url set and no Docker: using PostgreSQL at "
				+ "jdbc:postgresql://localhost:5432/").contains("set spring.datasource.url");
	}

}
