package io.github.pgqueue.testing.autoconfigure;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueWorkerLifecycle;
import io.github.pgqueue.autoconfigure.handler.JobHandlerMethodRegistrar;
import io.github.pgqueue.execute.SynchronousRunner;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.autoconfigure.PgQueueInfrastructure;
import io.github.pgqueue.testing.PgQueueTest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the test kit: when {@code pgqueue-test} is on the (test) class path and pgqueue is
 * auto-configured, a {@link PgQueueTest} over the application's {@link JobQueue}, its {@code @JobHandler}
 * methods, its JSON mapper and its schema, for a test to inject. Backs off when the test defines its own.
 */
@AutoConfiguration(afterName = "io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration")
@ConditionalOnClass({ JobHandlerMethodRegistrar.class, PgQueueTest.class })
@ConditionalOnBean({ PgQueueInfrastructure.class, JobQueue.class, JobOperations.class,
		JobHandlerMethodRegistrar.class })
public final class PgQueueTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PgQueueTest pgQueueTest(PgQueueInfrastructure pgqueue, JobQueue jobQueue, JobOperations jobOperations,
			JobHandlerMethodRegistrar registrar, ObjectProvider<PgQueueWorkerLifecycle> worker) {
		// the same store, settings and payload mapper the auto-configuration runs jobs with
		JobStore store = pgqueue.store();
		EngineSettings settings = pgqueue.settings();
		JsonMapper json = pgqueue.jsonMapper();
		// the handlers are read at each run: the registrar finds them as their beans are created
		return new PgQueueTest(new SynchronousRunner(store, registrar::registrations, json, settings), jobQueue,
				jobOperations, () -> worker.stream().anyMatch(PgQueueWorkerLifecycle::isRunning));
	}

}
