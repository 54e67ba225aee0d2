package io.github.pgqueue.samples.jobservice.database;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DevelopmentDatabaseConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
		.withUserConfiguration(ScannedDatabasePackage.class);

	@Test
	void backsOffWhenTheDataSourceUrlIsSet() {
		this.contextRunner.withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example.com:5432/jobs")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabaseChoice.class)
					.doesNotHaveBean(DevelopmentDatabaseConfiguration.LocalConnectionDetails.class)
					.doesNotHaveBean("postgresContainer");
				assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl())
					.isEqualTo("jdbc:postgresql://db.example.com:5432/jobs");
			});
	}

}
