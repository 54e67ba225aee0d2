package io.github.pgqueue.autoconfigure;

import javax.sql.DataSource;

import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.PeriodicJob;
import io.github.pgqueue.admin.DefaultJobOperations;
import io.github.pgqueue.autoconfigure.handler.JobHandlerMethodRegistrar;
import io.github.pgqueue.autoconfigure.schema.PgQueueSchemaInitializer;
import io.github.pgqueue.enqueue.DefaultJobQueue;
import io.github.pgqueue.execute.HandlerRegistry;
import io.github.pgqueue.node.Worker;
import io.github.pgqueue.EnqueueObservationConvention;
import io.github.pgqueue.ExecuteObservationConvention;
import io.github.pgqueue.observation.JobObservations;
import io.github.pgqueue.schedule.PeriodicScheduler;
import io.github.pgqueue.store.JobStore;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration for pgqueue: the {@link JobQueue}, {@link JobOperations}, the bundled schema, {@code @JobHandler}
 * discovery and this node's worker. Needs a {@link DataSource}: the {@link PgQueueDataSource @PgQueueDataSource}
 * one, or the only or {@code @Primary} one; settings beyond properties through {@link PgQueueCustomizer}s. Off with
 * {@code pgqueue.enabled=false}; producer-only with {@code pgqueue.worker.enabled=false}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@Conditional(SpringBootVersionCheck.class)
@ConditionalOnClass({ DataSource.class, JdbcTemplate.class, JobQueue.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "pgqueue.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PgQueueProperties.class)
public final class PgQueueAutoConfiguration {

	@Bean
	PgQueueInfrastructure pgQueueInfrastructure(ObjectProvider<DataSource> dataSources,
			@PgQueueDataSource ObjectProvider<DataSource> pgQueueDataSource, ListableBeanFactory beanFactory,
			PgQueueProperties properties, Environment environment, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<PgQueueCustomizer> customizers) {
		DataSource dataSource = PgQueueDataSourceSelector.select(dataSources, pgQueueDataSource, beanFactory);
		EngineSettings settings = EngineSettingsFactory.create(properties, ShutdownBudget.shutdownPhase(environment),
				customizers.orderedStream().toList());
		return new PgQueueInfrastructure(dataSource, settings, PgQueueJsonMapper.derive(jsonMapper.getIfAvailable()));
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "pgqueue.migrate", matchIfMissing = true)
	@ConditionalOnMissingBean
	PgQueueSchemaInitializer pgQueueSchemaInitializer(PgQueueInfrastructure pgqueue) {
		return new PgQueueSchemaInitializer(pgqueue.dataSource(), pgqueue.settings().schema());
	}

	@Bean
	static JobHandlerMethodRegistrar pgQueueJobHandlerMethodRegistrar() {
		return new JobHandlerMethodRegistrar();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "pgqueue.worker.enabled", matchIfMissing = true)
	PeriodicJobsServedCheck pgQueuePeriodicJobsServedCheck(JobHandlerMethodRegistrar registrar,
			PgQueueProperties properties) {
		return new PeriodicJobsServedCheck(registrar, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	JobQueue jobQueue(PgQueueInfrastructure pgqueue, ObjectProvider<JobListener> listeners,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<EnqueueObservationConvention> enqueueConvention) {
		return new DefaultJobQueue(pgqueue.store(), pgqueue.jsonMapper(), pgqueue.settings(),
				new CompositeJobListener(listeners.orderedStream().toList()),
				new JobObservations(observationRegistry(observationRegistry), enqueueConvention.getIfUnique(), null));
	}

	@Bean
	@ConditionalOnMissingBean
	JobOperations jobOperations(PgQueueInfrastructure pgqueue) {
		return new DefaultJobOperations(pgqueue.store());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "pgqueue.worker.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	PgQueueWorkerLifecycle pgQueueWorkerLifecycle(PgQueueInfrastructure pgqueue, ObjectProvider<JobListener> listeners,
			JobHandlerMethodRegistrar registrar, Environment environment, ObjectProvider<JobQueue> jobQueue,
			PgQueueProperties properties, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ExecuteObservationConvention> executeConvention) {
		List<PeriodicJob> configuredPeriodic = EngineSettingsFactory.periodicJobs(properties);
		ExecutorFactory executors = Threading.VIRTUAL.isActive(environment) ? VirtualThreads.executorFactory()
				: ExecutorFactory.platformThreads();
		DataSource dataSource = pgqueue.dataSource();
		JobStore store = pgqueue.store();
		return new PgQueueWorkerLifecycle(() -> {
			Worker worker = new Worker(dataSource, store, pgqueue.jsonMapper(), pgqueue.settings(),
					new HandlerRegistry(registrar.registrations()), executors,
					new CompositeJobListener(listeners.orderedStream().toList()));
			worker.setObservations(new JobObservations(observationRegistry(observationRegistry), null,
					executeConvention.getIfUnique()));
			// this node's enqueues wake its own worker directly; other nodes hear the NOTIFY
			JobQueue queue = jobQueue.getObject();
			if (queue instanceof DefaultJobQueue defaultJobQueue) {
				defaultJobQueue.setLocalWorker(worker::wakeUpFor);
			}
			List<PeriodicJob> periodic = new ArrayList<>(registrar.periodicJobs());
			periodic.addAll(configuredPeriodic);
			worker.setPeriodicScheduler(new PeriodicScheduler(dataSource, store.periodic(), queue, periodic));
			return worker;
		});
	}

	// the application's, for pgqueue.enqueue and pgqueue.execute; none costs nothing
	private static ObservationRegistry observationRegistry(ObjectProvider<ObservationRegistry> registry) {
		return registry.getIfUnique(() -> ObservationRegistry.NOOP);
	}

}
