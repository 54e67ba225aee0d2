package io.github.pgqueue.test;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PostgresFinderTests {

	@Test
	void prefersTheUrlInTheEnvironment() {
		PostgresFinder finder = new PostgresFinder(Map.of(PostgresFinder.URL_VARIABLE, "jdbc:postgresql://db/x")::get,
				() -> true, (url) -> true);
		assertThat(finder.find().jdbcUrl()).isEqualTo("jdbc:postgresql://db/x");
	}

	@Test
	void usesTestcontainersWhenDockerAnswersAndNoUrlIsSet() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> true, (url) -> true);
		assertThat(finder.find().useTestcontainers()).isTrue();
	}

	@Test
	void fallsBackToLocalhost() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> false, (url) -> true);
		assertThat(finder.find().jdbcUrl()).isEqualTo(PostgresFinder.LOCAL_URL);
	}

	@Test
	void failsNamingAllThreeWaysWhenNothingAnswers() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> false, (url) -> false);
		assertThatIllegalStateException().isThrownBy(finder::find)
			.withMessageContaining(PostgresFinder.URL_VARIABLE)
			.withMessageContaining("Docker")
			.withMessageContaining("localhost:5432");
	}

}
