package io.github.pgqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.EnqueueResult;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.autoconfigure.actuate.PgQueueEndpoint;
import io.github.pgqueue.autoconfigure.actuate.PgQueueEndpointAutoConfiguration;
import io.github.pgqueue.autoconfigure.health.PgQueueHealthContributorAutoConfiguration;
import io.github.pgqueue.autoconfigure.health.PgQueueHealthIndicator;
import io.github.pgqueue.autoconfigure.metrics.PgQueueMetrics;
import io.github.pgqueue.autoconfigure.metrics.PgQueueMetricsAutoConfiguration;
import io.github.pgqueue.autoconfigure.schema.PgQueueSchemaInitializer;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every condition of pgqueue's auto-configurations.
 */
class PgQueueAutoConfigurationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class, PgQueueMetricsAutoConfiguration.class,
				PgQueueHealthContributorAutoConfiguration.class, PgQueueEndpointAutoConfiguration.class))
		.withPropertyValues("pgqueue.schema=" + db.schema(), "management.endpoints.web.exposure.include=*");

	private ApplicationContextRunner withDataSource() {
		// a delegate: the context must not close the pool the other tests share
		return this.runner.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()));
	}

	@Test
	void backsOffWithoutADataSource() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(JobQueue.class));
	}

	@Test
	void providesTheJobQueueTheSchemaAndTheWorkerWithADataSource() {
		withDataSource().run((context) -> {
			assertThat(context).hasSingleBean(JobQueue.class)
				.hasSingleBean(JobOperations.class)
				.hasSingleBean(PgQueueSchemaInitializer.class)
				.hasSingleBean(PgQueueWorkerLifecycle.class)
				.hasSingleBean(PgQueueInfrastructure.class)
				.doesNotHaveBean(EngineSettings.class)
				.doesNotHaveBean(io.github.pgqueue.store.JobStore.class);
			assertThat(context.getBean(PgQueueInfrastructure.class).settings().schema()).isEqualTo(db.schema());
			assertThat(context.getBean(PgQueueWorkerLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void backsOffEntirelyWhenDisabled() {
		withDataSource().withPropertyValues("pgqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobQueue.class)
				.doesNotHaveBean(PgQueueWorkerLifecycle.class)
				.doesNotHaveBean(PgQueueSchemaInitializer.class)
				.doesNotHaveBean(PgQueueHealthIndicator.class)
				.doesNotHaveBean(PgQueueEndpoint.class));
	}

	@Test
	void aProducerOnlyNodeHasAJobQueueButNoWorker() {
		withDataSource().withPropertyValues("pgqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(JobQueue.class)
				.doesNotHaveBean(PgQueueWorkerLifecycle.class));
	}

	@Test
	void skipsTheSchemaWhenMigrateIsFalse() {
		withDataSource().withPropertyValues("pgqueue.migrate=false")
			.run((context) -> assertThat(context).hasSingleBean(JobQueue.class)
				.doesNotHaveBean(PgQueueSchemaInitializer.class));
	}

	@Test
	void backsOffWhenUserDefinesJobQueue() {
		withDataSource().withUserConfiguration(UserJobQueueConfiguration.class)
			.run((context) -> assertThat(context).getBean(JobQueue.class)
				.isSameAs(context.getBean(UserJobQueueConfiguration.class).jobQueue));
	}

	@Test
	void backsOffWhenUserDefinesJobOperations() {
		JobOperations operations = org.mockito.Mockito.mock(JobOperations.class);
		withDataSource().withBean(JobOperations.class, () -> operations)
			.run((context) -> assertThat(context).getBean(JobOperations.class).isSameAs(operations));
	}

	@Test
	void appliesCustomizersInOrderAfterTheProperties() {
		withDataSource().withPropertyValues("pgqueue.poll-interval=250ms")
			.withBean("second", PgQueueCustomizer.class, () -> new OrderedCustomizer(2, "node-second"))
			.withBean("first", PgQueueCustomizer.class, () -> new OrderedCustomizer(1, "node-first"))
			.run((context) -> {
				EngineSettings settings = context.getBean(PgQueueInfrastructure.class).settings();
				assertThat(settings.workerId()).isEqualTo("node-second");
				assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(250));
			});
	}

	record OrderedCustomizer(int order, String workerId) implements PgQueueCustomizer, org.springframework.core.Ordered {

		@Override
		public void customize(EngineSettings.Builder settings) {
			settings.workerId(this.workerId);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	@Test
	void addsHealthAndEndpointWhenActuatorIsPresent() {
		withDataSource().run((context) -> assertThat(context).hasSingleBean(PgQueueHealthIndicator.class)
			.hasBean("pgqueueHealthIndicator")
			.hasSingleBean(PgQueueEndpoint.class));
	}

	@Test
	void failsToStartOnAHealthTimeoutThatIsNotPositiveNamingTheProperty() {
		withDataSource().withPropertyValues("pgqueue.health.timeout=0s").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("pgqueue.health.timeout"));
	}

	@Test
	void leavesOutHealthWithoutSpringBootHealth() {
		withDataSource().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(JobQueue.class)
				.doesNotHaveBean(PgQueueHealthIndicator.class));
	}

	@Test
	void leavesOutTheEndpointWithoutActuator() {
		withDataSource().withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasSingleBean(JobQueue.class).doesNotHaveBean(PgQueueEndpoint.class));
	}

	@Test
	void leavesOutTheEndpointWhenItIsNotExposed() {
		withDataSource().withPropertyValues("management.endpoints.web.exposure.include=health",
				"management.endpoints.jmx.exposure.exclude=*")
			.run((context) -> assertThat(context).doesNotHaveBean(PgQueueEndpoint.class));
	}

	@Test
	void addsMetricsWhenAMeterRegistryIsPresent() {
		withDataSource().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(PgQueueMetrics.class));
	}

	@Test
	void leavesOutMetricsWithoutAMeterRegistry() {
		withDataSource().run((context) -> assertThat(context).doesNotHaveBean(PgQueueMetrics.class));
	}

	@Test
	void leavesOutMetricsWithoutMicrometer() {
		withDataSource().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(JobQueue.class).doesNotHaveBean(PgQueueMetrics.class));
	}

	@Test
	void bindsEveryProperty() {
		withDataSource().withPropertyValues("pgqueue.lease-duration=45s", "pgqueue.heartbeat-interval=5s",
				"pgqueue.poll-interval=250ms", "pgqueue.reaper-interval=2s", "pgqueue.shutdown-timeout=3s",
				"pgqueue.priority-aging=30s", "pgqueue.max-payload-size=64KB", "pgqueue.worker.id=node-a",
				"pgqueue.retry.max-attempts=7", "pgqueue.retry.initial-backoff=2s", "pgqueue.retry.multiplier=3",
				"pgqueue.retry.max-backoff=10m", "pgqueue.retry.jitter=0.1", "pgqueue.retention.completed=2h",
				"pgqueue.retention.cancelled=3d", "pgqueue.retention.dead=14d", "pgqueue.queues.emails.concurrency=4",
				"pgqueue.queues.emails.max-backlog=10000", "pgqueue.queues.emails.paused=true", "pgqueue.notify=false",
				"pgqueue.health.horizon-warning=90s", "pgqueue.health.timeout=250ms")
			.run((context) -> {
				EngineSettings settings = context.getBean(PgQueueInfrastructure.class).settings();
				assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
				assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.reaperInterval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.priorityAging()).isEqualTo(Duration.ofSeconds(30));
				assertThat(settings.maxPayloadSize()).isEqualTo(64 * 1024);
				assertThat(settings.workerId()).isEqualTo("node-a");
				assertThat(settings.retry().maxAttempts()).isEqualTo(7);
				assertThat(settings.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.retry().multiplier()).isEqualTo(3.0);
				assertThat(settings.retry().maxBackoff()).isEqualTo(Duration.ofMinutes(10));
				assertThat(settings.retry().jitter()).isEqualTo(0.1);
				assertThat(settings.retention().completed()).isEqualTo(Duration.ofHours(2));
				assertThat(settings.retention().cancelled()).isEqualTo(Duration.ofDays(3));
				assertThat(settings.retention().dead()).isEqualTo(Duration.ofDays(14));
				assertThat(settings.queues()).containsKeys("default", "emails");
				assertThat(settings.queue("emails").concurrency()).isEqualTo(4);
				assertThat(settings.queue("emails").maxBacklog()).isEqualTo(10_000);
				assertThat(settings.queue("emails").paused()).isTrue();
				assertThat(context.getBean(PgQueueProperties.class).isNotify()).isFalse();
				PgQueueProperties.Health health = context.getBean(PgQueueProperties.class).getHealth();
				assertThat(health.getHorizonWarning()).isEqualTo(Duration.ofSeconds(90));
				assertThat(health.getTimeout()).isEqualTo(Duration.ofMillis(250));
			});
	}

	@Test
	void failsToStartOnANegativeDurationNamingTheProperty() {
		withDataSource().withPropertyValues("pgqueue.lease-duration=-5s").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("pgqueue.lease-duration"));
	}

	@Test
	void failsToStartOnAConcurrencyBelowOneNamingTheProperty() {
		withDataSource().withPropertyValues("pgqueue.queues.emails.concurrency=0").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageContaining("pgqueue.queues.emails.concurrency"));
	}

	@Test
	void failsToStartOnASchemaThatIsNotAnIdentifier() {
		withDataSource().withPropertyValues("pgqueue.schema=public;drop").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageContaining("pgqueue.schema")
			.hasMessageContaining("plain SQL identifier"));
	}

	@Test
	void failsToStartOnAnUnknownQueueOption() {
		withDataSource().withPropertyValues("pgqueue.queues.emails.concurency=4")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("pgqueue.queues.emails.concurency"));
	}

	@Test
	void failsToStartOnAHeartbeatNotShorterThanTheLease() {
		withDataSource().withPropertyValues("pgqueue.heartbeat-interval=1m").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageContaining("pgqueue.heartbeat-interval")
			.hasMessageContaining("lease-duration"));
	}

	@Test
	void failsToStartOnAnInvalidPeriodicCronNamingTheProperty() {
		withDataSource().withPropertyValues("pgqueue.periodic.report.cron=sometimes").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageContaining("pgqueue.periodic.report.cron")
			.hasMessageContaining("invalid cron expression 'sometimes'"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserJobQueueConfiguration {

		final JobQueue jobQueue = new JobQueue() {

			@Override
			public JobId enqueue(Object payload) {
				throw new UnsupportedOperationException();
			}

			@Override
			public EnqueueResult enqueue(JobRequest request) {
				throw new UnsupportedOperationException();
			}

			@Override
			public JobId enqueue(String kind, Object payload) {
				throw new UnsupportedOperationException();
			}

			@Override
			public EnqueueResult enqueue(String kind, Object payload, EnqueueOptions options) {
				throw new UnsupportedOperationException();
			}

			@Override
			public List<EnqueueResult> enqueueAll(List<JobRequest> requests) {
				throw new UnsupportedOperationException();
			}

			@Override
			public Optional<JobInfo> find(JobId id) {
				return Optional.empty();
			}

			@Override
			public boolean cancel(JobId id) {
				return false;
			}

			@Override
			public boolean retry(JobId id) {
				return false;
			}

		};

		@Bean
		JobQueue userJobQueue() {
			return this.jobQueue;
		}

	}

	static class UnusedHandlers {

		@JobHandler("unused")
		void handle(String payload, JobContext context) {
		}

	}

}
