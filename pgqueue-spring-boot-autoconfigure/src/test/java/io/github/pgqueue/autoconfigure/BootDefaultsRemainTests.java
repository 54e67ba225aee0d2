package io.github.pgqueue.autoconfigure;

import javax.sql.DataSource;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STYLE rule 6: with pgqueue present, Spring Boot's own executor, scheduler and Liquibase are still
 * there (pgqueue publishes none of these types, so Boot's defaults do not back off).
 */
class BootDefaultsRemainTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
				TaskSchedulingAutoConfiguration.class, LiquibaseAutoConfiguration.class, PgQueueAutoConfiguration.class))
		.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
		.withUserConfiguration(SchedulingApplication.class)
		.withPropertyValues("pgqueue.schema=" + db.schema(), "spring.liquibase.default-schema=" + db.schema());

	@Test
	void keepsBootsApplicationTaskExecutorTaskSchedulerAndSpringLiquibase() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(JobQueue.class);
			assertThat(context).hasBean("applicationTaskExecutor");
			assertThat(context.getBeansOfType(java.util.concurrent.Executor.class).values())
				.noneMatch((executor) -> executor.getClass().getName().startsWith("io.github.pgqueue"));
			assertThat(context).hasSingleBean(TaskScheduler.class).hasSingleBean(SpringLiquibase.class);
			assertThat(db.jdbc().sql("SELECT count(*) FROM " + db.schema() + ".app_note").query(Long.class).single())
				.isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingApplication {

	}

}
