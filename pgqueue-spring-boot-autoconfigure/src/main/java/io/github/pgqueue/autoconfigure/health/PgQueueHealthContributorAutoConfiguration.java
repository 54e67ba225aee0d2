package io.github.pgqueue.autoconfigure.health;

import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.autoconfigure.PgQueueProperties;
import io.github.pgqueue.autoconfigure.PgQueueWorkerLifecycle;
import io.github.pgqueue.autoconfigure.PgQueueInfrastructure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code pgqueue} health contributor, when Spring Boot's health support is present.
 */
@AutoConfiguration(after = PgQueueAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(PgQueueInfrastructure.class)
@ConditionalOnEnabledHealthIndicator("pgqueue")
public final class PgQueueHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "pgqueueHealthIndicator")
	PgQueueHealthIndicator pgqueueHealthIndicator(PgQueueInfrastructure pgqueue,
			PgQueueProperties properties, ObjectProvider<PgQueueWorkerLifecycle> lifecycle) {
		PgQueueProperties.Health health = properties.getHealth();
		if (health.getTimeout().isNegative() || health.getTimeout().isZero()) {
			throw new InvalidConfigurationPropertyValueException("pgqueue.health.timeout", health.getTimeout(),
					"must be positive");
		}
		if (health.getHorizonWarning().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("pgqueue.health.horizon-warning",
					health.getHorizonWarning(), "must not be negative");
		}
		return new PgQueueHealthIndicator(pgqueue.store(), pgqueue.settings(), PgQueueWorkerLifecycle.workerOf(lifecycle),
				health.getHorizonWarning(), health.getTimeout());
	}

}
