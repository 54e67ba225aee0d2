package io.github.pgqueue.dashboard;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.autoconfigure.PgQueueInfrastructure;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.autoconfigure.PgQueueProperties;
import io.github.pgqueue.autoconfigure.PgQueueWorkerLifecycle;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The pgqueue dashboard, in a servlet web application with Spring MVC and pgqueue's
 * {@link JobOperations}, unless {@code pgqueue.dashboard.enabled=false}. Its properties
 * ({@code pgqueue.dashboard.*}) are bound by {@link PgQueueProperties.Dashboard}.
 */
@AutoConfiguration(after = PgQueueAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean({ JobQueue.class, JobOperations.class, PgQueueProperties.class })
@ConditionalOnBooleanProperty(name = "pgqueue.dashboard.enabled", matchIfMissing = true)
public final class PgQueueDashboardAutoConfiguration {

	/** The bean Spring Security's web configuration registers its filter chain under. */
	static final String SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	DashboardActions pgQueueDashboardActions(PgQueueProperties properties, ListableBeanFactory beans) {
		return new DashboardActions(properties.getDashboard(), beans.containsBean(SECURITY_FILTER_CHAIN));
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardController pgQueueDashboardController(JobQueue jobQueue, JobOperations operations,
			ObjectProvider<PgQueueInfrastructure> pgqueue, ObjectProvider<EngineSettings> settings,
			PgQueueProperties properties, DashboardActions actions, ObjectProvider<PgQueueWorkerLifecycle> lifecycle) {
		// the settings pgqueue runs with; an application that builds pgqueue itself may give its own
		PgQueueInfrastructure infrastructure = pgqueue.getIfAvailable();
		EngineSettings engine = (infrastructure != null) ? infrastructure.settings()
				: settings.getIfAvailable(() -> EngineSettings.builder().build());
		return new DashboardController(jobQueue, operations, engine, properties.getDashboard(), actions,
				PgQueueWorkerLifecycle.workerOf(lifecycle));
	}

}
