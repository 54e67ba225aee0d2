package io.github.pgqueue.autoconfigure.schema;

import java.util.UUID;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgqueue's schema set-up runs after the application's own Flyway or Liquibase, with
 * {@code pgqueue.schema: public} on a fresh database, and again on a second start.
 */
class ApplicationMigrationsIntegrationTests {

	private static final java.util.List<String> created = new java.util.ArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PgQueueAutoConfiguration.class))
		.withPropertyValues("pgqueue.schema=public", "pgqueue.worker.enabled=false", "spring.datasource.username=postgres");

	@Test
	void theApplicationsFlywayMigratesAFreshDatabaseAndPgQueueFollowsOnEveryStart() {
		String url = freshDatabase();
		ApplicationContextRunner flyway = this.runner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + url, "spring.flyway.locations=classpath:db/flyway-app");
		for (int start = 1; start <= 2; start++) {
			flyway.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(JobQueue.class);
				JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
				assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")
					.query(Long.class)
					.single()).isEqualTo(1);
				assertThat(jdbc.sql("SELECT to_regclass('public.app_flyway_note') IS NOT NULL").query(Boolean.class).single())
					.isTrue();
				assertThat(jdbc.sql("SELECT to_regclass('public.pgqueue_job') IS NOT NULL").query(Boolean.class).single())
					.isTrue();
			});
		}
	}

	@Test
	void theApplicationsLiquibaseMigratesAFreshDatabaseAndPgQueueFollowsOnEveryStart() {
		String url = freshDatabase();
		ApplicationContextRunner liquibase = this.runner
			.withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + url);
		for (int start = 1; start <= 2; start++) {
			liquibase.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(JobQueue.class);
				JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
				assertThat(jdbc.sql("SELECT count(*) FROM databasechangelog WHERE id = 'app-1'").query(Long.class).single())
					.isEqualTo(1);
				assertThat(jdbc.sql("SELECT to_regclass('public.pgqueue_job') IS NOT NULL").query(Boolean.class).single())
					.isTrue();
			});
		}
	}

	private static String freshDatabase() {
		String name = "pgq_fresh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		JdbcClient.create(TestDatabase.sharedDataSource()).sql("CREATE DATABASE " + name).update();
		created.add(name);
		return TestDatabase.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
	}

	@AfterAll
	static void dropDatabases() {
		for (String name : created) {
			JdbcClient.create(TestDatabase.sharedDataSource()).sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").update();
		}
	}

}
