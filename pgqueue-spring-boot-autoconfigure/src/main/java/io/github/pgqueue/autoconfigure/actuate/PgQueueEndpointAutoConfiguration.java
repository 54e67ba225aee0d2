package io.github.pgqueue.autoconfigure.actuate;

import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.autoconfigure.PgQueueWorkerLifecycle;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.store.JobStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code pgqueue} actuator endpoint, when Actuator is present and the endpoint is available.
 */
@AutoConfiguration(after = PgQueueAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({ JobQueue.class, JobOperations.class, JobStore.class })
@ConditionalOnAvailableEndpoint(PgQueueEndpoint.class)
public final class PgQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PgQueueEndpoint pgQueueEndpoint(JobQueue jobQueue, JobOperations operations, JobStore store,
			EngineSettings settings, ObjectProvider<PgQueueWorkerLifecycle> lifecycle) {
		return new PgQueueEndpoint(jobQueue, operations, store, settings, PgQueueWorkerLifecycle.workerOf(lifecycle));
	}

}
