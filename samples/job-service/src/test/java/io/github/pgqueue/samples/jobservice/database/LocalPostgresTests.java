package io.github.pgqueue.samples.jobservice.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPostgresTests {

	@Test
	void prefersThePostgresDatabase() {
		assertThat(LocalPostgres.find((url) -> true)).contains("jdbc:postgresql://localhost:5432/postgres");
	}

	@Test
	void fallsBackToTheTestDatabase() {
		assertThat(LocalPostgres.find((url) -> url.endsWith("/test"))).contains("jdbc:postgresql://localhost:5432/test");
	}

	@Test
	void findsNothingWhenNoDatabaseAnswers() {
		assertThat(LocalPostgres.find((url) -> false)).isEmpty();
	}

}
