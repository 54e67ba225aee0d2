package io.github.pgqueue.test;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PostgresFinderTests {

	@Test
	void prefersTheUrlInTheEnvironment() {
		PostgresFinder finder = new PostgresFinder(Map.of(PostgresFinder.URL_VARIABLE, "jdbc:postgresql://db/x")::get,
				() -> true, (url) -> true, PostgresFinderTests::noEmbedded);
		assertThat(finder.find().jdbcUrl()).isEqualTo("jdbc:postgresql://db/x");
	}

	@Test
	void usesTestcontainersWhenDockerAnswersAndNoUrlIsSet() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> true, (url) -> true, PostgresFinderTests::noEmbedded);
		assertThat(finder.find().useTestcontainers()).isTrue();
	}

	@Test
	void fallsBackToLocalhost() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> false, (url) -> true, PostgresFinderTests::noEmbedded);
		assertThat(finder.find().jdbcUrl()).isEqualTo(PostgresFinder.LOCAL_URL);
	}

	@Test
	void startsAnEmbeddedServerWhenNothingElseAnswersAndSaysSo() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> false, (url) -> false,
				() -> "jdbc:postgresql://localhost:41234/postgres?user=postgres");
		PostgresFinder.Found found = finder.find();
		assertThat(found.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:41234/postgres?user=postgres");
		assertThat(found.description()).contains("embedded PostgreSQL").contains(PostgresFinder.URL_VARIABLE);
	}

	@Test
	void startsNoEmbeddedServerWhenTheLocalOneAnswers() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> false, (url) -> true, () -> {
			throw new AssertionError("an embedded server was started although localhost:5432 answers");
		});
		assertThat(finder.find().jdbcUrl()).isEqualTo(PostgresFinder.LOCAL_URL);
	}

	@Test
	void failsNamingAllFourWaysWhenNothingAnswersAndNoEmbeddedServerStarts() {
		PostgresFinder finder = new PostgresFinder(Map.<String, String>of()::get, () -> false, (url) -> false,
				PostgresFinderTests::noEmbedded);
		assertThatIllegalStateException().isThrownBy(finder::find)
			.withMessageContaining(PostgresFinder.URL_VARIABLE)
			.withMessageContaining("Docker")
			.withMessageContaining("localhost:5432")
			.withMessageContaining("an embedded PostgreSQL cannot start as root");
	}

	private static String noEmbedded() {
		throw new IllegalStateException("an embedded PostgreSQL cannot start as root");
	}

}
