package io.github.pgqueue.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import io.github.pgqueue.JobHandler;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A periodic job for a kind no handler serves is refused on a node that runs the scheduler, rather
 * than enqueued at every tick to pile up.
 */
class PeriodicJobWithoutHandlerTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class))
		.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
		.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.periodic.nightly-report.cron=0 0 2 * * *",
				"pgqueue.periodic.nightly-report.kind=report");

	@Test
	void refusesAPeriodicJobNoHandlerServesNamingTheProperty() {
		this.runner.run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("pgqueue.periodic.nightly-report.kind")
			.hasMessageContaining("'report', which no @JobHandler serves"));
	}

	@Test
	void startsWhenAHandlerServesThePeriodicJobsKind() {
		this.runner.withBean(ReportJobs.class).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startsOnAProducerOnlyNodeWhichRunsNoScheduler() {
		this.runner.withPropertyValues("pgqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	static class ReportJobs {

		@JobHandler("report")
		void report(Map<String, Object> payload) {
		}

	}

}
