package io.github.pgqueue.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import io.github.pgqueue.autoconfigure.handler.JobHandlerMethodRegistrar;
import io.github.pgqueue.execute.HandlerRegistration;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * On a node that runs the periodic scheduler (a worker), refuses to start when a periodic job of
 * {@code pgqueue.periodic} is for a kind no {@code @JobHandler} serves: its jobs would be enqueued at
 * every tick and pile up unserved.
 */
final class PeriodicJobsServedCheck implements SmartInitializingSingleton {

	private final JobHandlerMethodRegistrar registrar;

	private final PgQueueProperties properties;

	PeriodicJobsServedCheck(JobHandlerMethodRegistrar registrar, PgQueueProperties properties) {
		this.registrar = registrar;
		this.properties = properties;
	}

	@Override
	public void afterSingletonsInstantiated() {
		PgQueueProperties properties = this.properties;
		Set<String> served = this.registrar.registrations()
			.stream()
			.map(HandlerRegistration::kind)
			.collect(Collectors.toSet());
		for (io.github.pgqueue.PeriodicJob job : EngineSettingsFactory.periodicJobs(properties)) {
			if (!served.contains(job.kind())) {
				String property = "pgqueue.periodic." + job.name() + ((properties.getPeriodic().get(job.name()).getKind() != null)
						? ".kind" : "");
				throw new org.springframework.beans.factory.BeanInitializationException("pgqueue's periodic jobs",
						new InvalidConfigurationPropertyValueException(property, job.kind(),
						"pgqueue.periodic." + job.name() + " enqueues jobs of kind '" + job.kind()
								+ "', which no @JobHandler serves, so they would pile up at every tick. Add a @JobHandler(\""
								+ job.kind() + "\"), correct the kind, or remove the periodic job (served kinds: "
								+ served.stream().sorted().toList() + ")"));
			}
		}
	}

}
