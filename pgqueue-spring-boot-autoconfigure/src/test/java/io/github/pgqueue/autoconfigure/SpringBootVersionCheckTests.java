package io.github.pgqueue.autoconfigure;

import io.github.pgqueue.autoconfigure.diagnostics.PgQueueStartupException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On a Spring Boot older than 4.0 the application fails at once, saying so.
 */
class SpringBootVersionCheckTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class));

	@Test
	void refusesSpringBoot35() {
		assertThatExceptionOfType(PgQueueStartupException.class)
			.isThrownBy(() -> SpringBootVersionCheck.check("3.5.7", false))
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains("Spring Boot 4.0 or later", "3.5.7");
				assertThat(ex.getAction()).contains("Upgrade");
			});
	}

	@Test
	void refusesAnUnknownVersionWithoutSpringBoot4sClasses() {
		assertThatExceptionOfType(PgQueueStartupException.class)
			.isThrownBy(() -> SpringBootVersionCheck.check(null, false))
			.withMessageContaining("older than 4.0");
	}

	@Test
	void acceptsSpringBoot4ByItsClassesAndItsVersion() {
		assertThatNoException().isThrownBy(() -> SpringBootVersionCheck.check(null, true));
		assertThatNoException().isThrownBy(() -> SpringBootVersionCheck.check("4.0.3", true));
		assertThatNoException().isThrownBy(() -> SpringBootVersionCheck.check("4.1.1", true));
	}

	@Test
	void failsTheStartBeforeAnyBeanIsCreatedWhenSpringBoot4sClassesAreMissing() {
		// without a DataSource: the check runs while configuration classes are read, before any condition on beans
		this.runner.withClassLoader(new FilteredClassLoader(SpringBootVersionCheck.BOOT_4_CLASS))
			.run((context) -> assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.contains("pgqueue needs Spring Boot 4.0 or later"));
	}

}
