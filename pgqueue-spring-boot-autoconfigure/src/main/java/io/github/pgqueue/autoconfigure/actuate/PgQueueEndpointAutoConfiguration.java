package io.github.pgqueue.autoconfigure.actuate;

import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.autoconfigure.PgQueueWorkerLifecycle;
import io.github.pgqueue.autoconfigure.PgQueueInfrastructure;

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
@ConditionalOnBean({ JobQueue.class, JobOperations.class, PgQueueInfrastructure.class })
@ConditionalOnAvailableEndpoint(PgQueueEndpoint.class)
public final class PgQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PgQueueEndpoint pgQueueEndpoint(JobQueue jobQueue, JobOperations operations, PgQueueInfrastructure pgqueue,
			ObjectProvider<PgQueueWorkerLifecycle> lifecycle) {
		return new PgQueueEndpoint(jobQueue, operations, pgqueue.store(), pgqueue.settings(),
				PgQueueWorkerLifecycle.workerOf(lifecycle), pgqueue.jsonMapper());
	}

}
