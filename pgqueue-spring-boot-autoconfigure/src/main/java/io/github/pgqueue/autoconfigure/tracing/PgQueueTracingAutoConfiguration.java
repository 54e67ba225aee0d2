package io.github.pgqueue.autoconfigure.tracing;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobExecutionTracingObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * The span of each {@code pgqueue.execute} observation, ahead of Micrometer Tracing's receiver handler
 * (order 1000 in Spring Boot): the first attempt's is a child of the enqueue's span, a later
 * attempt's starts a trace of its own linked to it. Without it (no Micrometer Tracing) Boot's own
 * receiver handler still continues the trace for the first attempt.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnClass({ JobQueue.class, Tracer.class, Propagator.class })
@ConditionalOnBean({ Tracer.class, Propagator.class })
@ConditionalOnBooleanProperty(name = "pgqueue.enabled", matchIfMissing = true)
public final class PgQueueTracingAutoConfiguration {

	/** {@code @Order} of the handler: before Spring Boot's {@code PropagatingReceiverTracingObservationHandler}. */
	public static final int EXECUTION_TRACING_OBSERVATION_HANDLER_ORDER = 900;

	@Bean
	@ConditionalOnMissingBean
	@Order(EXECUTION_TRACING_OBSERVATION_HANDLER_ORDER)
	JobExecutionTracingObservationHandler pgQueueExecutionTracingObservationHandler(Tracer tracer,
			Propagator propagator) {
		return new JobExecutionTracingObservationHandler(tracer, propagator);
	}

}
