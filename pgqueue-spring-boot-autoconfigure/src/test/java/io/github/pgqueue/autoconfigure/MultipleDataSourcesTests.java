package io.github.pgqueue.autoconfigure;

import javax.sql.DataSource;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with two DataSources: pgqueue takes the {@code @Primary} one, and without one fails to
 * start naming the choice to make (never a silently missing {@code JobQueue}).
 */
class MultipleDataSourcesTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class))
		.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.worker.enabled=false");

	@Test
	void failsNamingTheChoiceWhenNoDataSourceCanBeChosen() {
		this.runner.withBean("ordersDataSource", DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
			.withBean("reportsDataSource", DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("2 DataSource beans", "ordersDataSource",
						"reportsDataSource");
				assertThat(analysis.getAction()).contains("@PgQueueDataSource", "@Primary", "pgqueue.enabled=false");
			});
	}

	@Test
	void usesThePrimaryDataSource() {
		this.runner.withBean("ordersDataSource", DataSource.class, () -> new DelegatingDataSource(db.dataSource()),
				(definition) -> definition.setPrimary(true))
			.withBean("reportsDataSource", DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JobQueue.class));
	}

}
