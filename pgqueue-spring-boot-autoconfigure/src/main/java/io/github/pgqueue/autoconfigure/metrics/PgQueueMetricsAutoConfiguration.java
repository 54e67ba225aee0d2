package io.github.pgqueue.autoconfigure.metrics;

import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.autoconfigure.PgQueueInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * pgqueue's Micrometer meters, when Micrometer and a {@link MeterRegistry} are present.
 */
@AutoConfiguration(after = PgQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, PgQueueInfrastructure.class })
public final class PgQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PgQueueMetrics pgQueueMetrics(MeterRegistry registry, PgQueueInfrastructure pgqueue) {
		EngineSettings settings = pgqueue.settings();
		return new PgQueueMetrics(registry, pgqueue.store(), settings.queues().keySet(), settings.reaperInterval());
	}

}
