package io.github.pgqueue.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionOptionsTests {

	@Test
	void redactsEveryPasswordInAUrl() {
		assertThat(ConnectionOptions.redacted("jdbc:postgresql://db:5432/app?user=ops&password=hunter2&ssl=true"))
			.isEqualTo("jdbc:postgresql://db:5432/app?user=ops&password=***&ssl=true");
		assertThat(ConnectionOptions.redacted("jdbc:postgresql://db/app?PASSWORD=x")).isEqualTo(
				"jdbc:postgresql://db/app?PASSWORD=***");
		assertThat(ConnectionOptions.redacted("jdbc:postgresql://db/app?user=ops")).isEqualTo(
				"jdbc:postgresql://db/app?user=ops");
	}

}
