package io.github.pgqueue.autoconfigure;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * pgqueue's own {@link JsonMapper} for payloads: the application's Jackson modules (its own
 * serializers and the types they support), on Jackson's defaults. Settings the application changes
 * with {@code spring.jackson.*} (naming strategy, inclusion, date formats, features) or a
 * {@code JsonMapperBuilderCustomizer} do not reach it, so that they cannot change what is stored
 * for jobs already waiting, or what other nodes and other languages read.
 */
final class PgQueueJsonMapper {

	private PgQueueJsonMapper() {
	}

	static JsonMapper derive(@Nullable JsonMapper application) {
		JsonMapper.Builder builder = JsonMapper.builder();
		if (application != null) {
			builder.addModules(application.registeredModules());
		}
		else {
			builder.findAndAddModules();
		}
		return builder.build();
	}

}
