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
import io.github.pgqueue.schedule.PeriodicScheduler;
import io.github.pgqueue.store.JobStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration for pgqueue: the {@link JobQueue}, {@link JobOperations}, the bundled schema, {@code @JobHandler}
 * discovery and this node's worker. Needs a single {@link DataSource}; off with
 * {@code pgqueue.enabled=false}; producer-only with {@code pgqueue.worker.enabled=false}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@ConditionalOnClass({ DataSource.class, JdbcTemplate.class, JobQueue.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "pgqueue.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PgQueueProperties.class)
public final class PgQueueAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EngineSettings pgQueueEngineSettings(PgQueueProperties properties, Environment environment) {
		return EngineSettingsFactory.create(properties, ShutdownBudget.shutdownPhase(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	JobStore pgQueueJobStore(DataSource dataSource, EngineSettings settings, ObjectProvider<JsonMapper> jsonMapper) {
		return new JobStore(dataSource, settings.schema(), jsonMapper(jsonMapper));
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "pgqueue.migrate", matchIfMissing = true)
	@ConditionalOnMissingBean
	PgQueueSchemaInitializer pgQueueSchemaInitializer(DataSource dataSource, EngineSettings settings) {
		return new PgQueueSchemaInitializer(dataSource, settings.schema());
	}

	@Bean
	static JobHandlerMethodRegistrar pgQueueJobHandlerMethodRegistrar() {
		return new JobHandlerMethodRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	JobQueue jobQueue(JobStore store, EngineSettings settings, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<JobListener> listeners) {
		return new DefaultJobQueue(store, jsonMapper(jsonMapper), settings,
				new CompositeJobListener(listeners.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean
	JobOperations jobOperations(JobStore store) {
		return new DefaultJobOperations(store);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "pgqueue.worker.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	PgQueueWorkerLifecycle pgQueueWorkerLifecycle(DataSource dataSource, JobStore store, EngineSettings settings,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<JobListener> listeners,
			JobHandlerMethodRegistrar registrar, Environment environment, ObjectProvider<JobQueue> jobQueue,
			PgQueueProperties properties) {
		List<PeriodicJob> configuredPeriodic = EngineSettingsFactory.periodicJobs(properties);
		ExecutorFactory executors = Threading.VIRTUAL.isActive(environment) ? VirtualThreads.executorFactory()
				: ExecutorFactory.platformThreads();
		JsonMapper json = jsonMapper(jsonMapper);
		return new PgQueueWorkerLifecycle(() -> {
			Worker worker = new Worker(dataSource, store, json, settings,
					new HandlerRegistry(registrar.registrations()), executors,
					new CompositeJobListener(listeners.orderedStream().toList()));
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

	private static JsonMapper jsonMapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().findAndAddModules().build());
	}

}
