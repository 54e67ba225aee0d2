package io.github.pgqueue.testing.autoconfigure;

import javax.sql.DataSource;

import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.testing.PgQueueTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit's auto-configuration: a {@link PgQueueTest} wherever pgqueue is auto-configured, none
 * otherwise, and none of its own when the test defines one. No database is reached.
 */
class PgQueueTestAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class, PgQueueTestAutoConfiguration.class))
		.withBean(DataSource.class, () -> new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"))
		.withPropertyValues("pgqueue.migrate=false", "pgqueue.worker.enabled=false");

	@Test
	void providesAPgQueueTestOverTheAutoConfiguredQueue() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PgQueueTest.class);
			assertThat(context.getBean(PgQueueTest.class).jobQueue()).isSameAs(context.getBean(JobQueue.class));
			assertThat(context.getBean(PgQueueTest.class).schema()).isEqualTo("public");
		});
	}

	@Test
	void usesTheConfiguredSchema() {
		this.contextRunner.withPropertyValues("pgqueue.schema=jobs")
			.run((context) -> assertThat(context.getBean(PgQueueTest.class).schema()).isEqualTo("jobs"));
	}

	@Test
	void backsOffWhenPgQueueIsDisabled() {
		this.contextRunner.withPropertyValues("pgqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PgQueueTest.class)
				.doesNotHaveBean(JobOperations.class));
	}

	@Test
	void backsOffWhenTheTestDefinesItsOwn() {
		this.contextRunner
			.withBean("ownPgQueueTest", PgQueueTest.class,
					() -> PgQueueTest.of(PgQueue.builder(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/x")).build()))
			.run((context) -> assertThat(context).hasSingleBean(PgQueueTest.class).hasBean("ownPgQueueTest"));
	}

	@Test
	void isListedAsAnAutoConfiguration() throws Exception {
		String imports = new String(getClass().getResourceAsStream(
				"/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").readAllBytes());
		assertThat(imports).contains(PgQueueTestAutoConfiguration.class.getName());
	}

}
