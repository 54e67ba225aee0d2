package io.github.pgqueue.samples.jobservice.api;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the application's {@code JsonMapper} read strictly, so a submission is taken as written or
 * rejected naming the field, never silently dropped or converted: an unknown field, {@code "5"} or
 * {@code 1.5} for an integer, {@code 5} or {@code true} for a string, {@code null} for a primitive
 * and anything after the JSON value all fail. Payloads pgqueue stores were written from the same
 * records, so its handlers read them back under the same rules.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer strictJsonReading() {
		return (builder) -> builder
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
					DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
