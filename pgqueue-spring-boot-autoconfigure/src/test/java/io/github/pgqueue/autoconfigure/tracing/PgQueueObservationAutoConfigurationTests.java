package io.github.pgqueue.autoconfigure.tracing;

import javax.sql.DataSource;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.DefaultEnqueueObservationConvention;
import io.github.pgqueue.EnqueueObservationConvention;
import io.github.pgqueue.JobExecutionTracingObservationHandler;
import io.github.pgqueue.test.TestDatabase;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's {@link ObservationRegistry} and conventions reach the engine's observations, and
 * the execution's tracing handler is there exactly when a tracer and a propagator are.
 */
class PgQueueObservationAutoConfigurationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class, PgQueueTracingAutoConfiguration.class))
		.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.worker.enabled=false")
		// a delegate: the context must not close the pool the other tests share
		.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()));

	@Test
	void enqueuesAreObservedThroughTheApplicationsRegistryWithItsConvention() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.runner.withBean(ObservationRegistry.class, () -> registry)
			.withBean(EnqueueObservationConvention.class, () -> new DefaultEnqueueObservationConvention() {
				@Override
				public String getName() {
					return "orders.enqueue";
				}
			})
			.run((context) -> {
				context.getBean(JobQueue.class).enqueue("observed", "p");
				assertThat(registry).hasObservationWithNameEqualTo("orders.enqueue")
					.that()
					.hasLowCardinalityKeyValue("kind", "observed")
					.hasLowCardinalityKeyValue("outcome", "created");
			});
	}

	@Test
	void registersTheExecutionTracingHandlerWithATracerAndAPropagator() {
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.run((context) -> assertThat(context).hasSingleBean(JobExecutionTracingObservationHandler.class));
	}

	@Test
	void backsOffWithoutATracer() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(JobExecutionTracingObservationHandler.class));
	}

	@Test
	void backsOffWhenPgQueueIsDisabled() {
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.withPropertyValues("pgqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobExecutionTracingObservationHandler.class));
	}

}
