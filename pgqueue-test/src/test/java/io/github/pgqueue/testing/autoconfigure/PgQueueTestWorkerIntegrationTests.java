package io.github.pgqueue.testing.autoconfigure;

import javax.sql.DataSource;

import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.test.TestDatabase;
import io.github.pgqueue.testing.PgQueueTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the application's worker running, the injected kit refuses to drain (the worker would race it
 * for the jobs), naming the property that turns the worker off; its assertions still work.
 */
class PgQueueTestWorkerIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class, PgQueueTestAutoConfiguration.class))
		// not the shared pool itself, which the context would close with it
		.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
		.withPropertyValues("pgqueue.migrate=false", "pgqueue.poll-interval=100ms", "pgqueue.shutdown-timeout=2s");

	@Test
	void drainFailsNamingThePropertyWhileTheWorkerRuns() {
		this.contextRunner.withPropertyValues("pgqueue.schema=" + db.schema()).run((context) -> {
			PgQueueTest kit = context.getBean(PgQueueTest.class);
			assertThat(kit.enqueuedJobs()).isEmpty();
			assertThat(org.assertj.core.api.Assertions.catchThrowable(kit::drain))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("set pgqueue.worker.enabled=false");
		});
	}

	@Test
	void drainRunsWithTheWorkerOff() {
		this.contextRunner.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(PgQueueTest.class).drain().count()).isZero());
	}

}
