package io.github.pgqueue.dashboard;


import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * When the dashboard is served: in a servlet web application with pgqueue's beans, unless
 * {@code pgqueue.dashboard.enabled=false}; never in an application that is not a servlet one.
 */
class PgQueueDashboardAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueDashboardAutoConfiguration.class))
		.withUserConfiguration(PgQueueBeans.class);

	@Test
	void servesTheDashboardInAServletWebApplication() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DashboardController.class)
			.hasSingleBean(DashboardActions.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("pgqueue.dashboard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DashboardController.class));
	}

	@Test
	void backsOffOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PgQueueDashboardAutoConfiguration.class))
			.withUserConfiguration(PgQueueBeans.class)
			.run((context) -> assertThat(context).doesNotHaveBean(DashboardController.class));
	}

	@Test
	void backsOffWithoutPgQueue() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(PgQueueDashboardAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DashboardController.class));
	}

	@Test
	void bindsItsPropertiesUnderPgQueueDashboard() {
		this.runner.withPropertyValues("pgqueue.dashboard.path=/ops/queue", "pgqueue.dashboard.read-only=false",
				"pgqueue.dashboard.role=OPS")
			.run((context) -> {
				PgQueueProperties.Dashboard dashboard = context.getBean(PgQueueProperties.class).getDashboard();
				assertThat(dashboard.getPath()).isEqualTo("/ops/queue");
				assertThat(dashboard.isReadOnly()).isFalse();
				assertThat(dashboard.getRole()).isEqualTo("OPS");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(PgQueueProperties.class)
	static class PgQueueBeans {

		@Bean
		JobQueue jobQueue() {
			return mock(JobQueue.class);
		}

		@Bean
		JobOperations jobOperations() {
			return mock(JobOperations.class);
		}

		@Bean
		EngineSettings engineSettings() {
			return EngineSettings.builder().build();
		}

	}

}
