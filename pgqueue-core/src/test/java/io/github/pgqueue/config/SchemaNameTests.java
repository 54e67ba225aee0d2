package io.github.pgqueue.config;

import io.github.pgqueue.EngineSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SchemaNameTests {

	@ParameterizedTest
	@ValueSource(strings = { "select", "user", "order", "table", "left", "authorization" })
	void aReservedKeywordIsRefusedNamingSchema(String schema) {
		assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.builder().schema(schema).build())
			.withMessageContaining("schema")
			.withMessageContaining("'" + schema + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "information_schema", "pg_catalog", "pg_toast", "pg_temp", "pg_queue" })
	void aSystemSchemaIsRefusedNamingSchema(String schema) {
		assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.builder().schema(schema).build())
			.withMessageContaining("schema")
			.withMessageContaining("'" + schema + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "public", "pgqueue", "jobs", "int", "values", "name", "_pg", "pgx" })
	void anyOtherPlainNameIsAccepted(String schema) {
		assertThat(EngineSettings.builder().schema(schema).build().schema()).isEqualTo(schema);
	}

}
