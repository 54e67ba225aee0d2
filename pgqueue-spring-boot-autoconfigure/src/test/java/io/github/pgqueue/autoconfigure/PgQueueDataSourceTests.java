package io.github.pgqueue.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PgQueueDataSource @PgQueueDataSource} chooses pgqueue's DataSource, over the {@code @Primary}
 * one.
 */
class PgQueueDataSourceTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class))
		.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.worker.enabled=false");

	@Test
	void usesTheDataSourceQualifiedPgQueueDataSource() {
		this.runner.withUserConfiguration(TwoDataSources.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PgQueueInfrastructure.class).dataSource())
				.isSameAs(context.getBean("jobsDataSource"));
			context.getBean(JobQueue.class).enqueue("chosen", java.util.Map.of("x", 1));
			assertThat(db.countJobs()).isEqualTo(1);
		});
	}

	@Test
	void failsNamingTheQualifiedDataSourcesWhenSeveralAreQualified() {
		this.runner.withUserConfiguration(TwoQualifiedDataSources.class)
			.run((context) -> assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.contains("2 DataSource beans qualified @PgQueueDataSource", "one", "two"));
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		@Primary
		DataSource applicationDataSource() {
			// the application's primary database, which pgqueue must not touch
			return new DelegatingDataSource(db.dataSource()) {
				@Override
				public Connection getConnection() throws SQLException {
					throw new SQLException("not pgqueue's database");
				}
			};
		}

		@Bean
		@PgQueueDataSource
		DataSource jobsDataSource() {
			return new DelegatingDataSource(db.dataSource());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoQualifiedDataSources {

		@Bean
		@PgQueueDataSource
		DataSource one() {
			return new DelegatingDataSource(db.dataSource());
		}

		@Bean
		@PgQueueDataSource
		DataSource two() {
			return new DelegatingDataSource(db.dataSource());
		}

	}

}
