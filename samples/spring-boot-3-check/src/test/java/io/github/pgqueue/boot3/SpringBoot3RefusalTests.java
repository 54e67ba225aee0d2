package io.github.pgqueue.boot3;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application on Spring Boot 3.5 with pgqueue's starter (and Boot 3.5's own versions of everything
 * Boot manages) fails at once, with a message naming what it needs, rather than with Boot's own
 * Liquibase complaining of a missing changelog, a missing {@code JobQueue} or a missing Jackson class.
 */
class SpringBoot3RefusalTests {

	@Test
	void theClassPathIsSpringBoot35() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
	}

	@Test
	void theStartFailsAtOnceSayingThatPgqueueNeedsSpringBoot4() {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("spring.datasource.url",
				"jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"));
		assertThatThrownBy(application::run).hasStackTraceContaining(
				"pgqueue needs Spring Boot 4.0 or later, but this application runs on Spring Boot "
						+ SpringBootVersion.getVersion())
			.hasStackTraceContaining("Upgrade the application to Spring Boot 4.0 or later");
	}

	@SpringBootApplication
	static class Application {

	}

}
