package io.github.pgqueue.enqueue;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.ValueSerializerModifier;

/**
 * The application's {@link JsonMapper}, made to refuse a value it would write as nothing: a bean
 * without properties ({@code new Object()}, which Jackson's own {@code FAIL_ON_EMPTY_BEANS}
 * refuses) and a lambda or method reference (a hidden class, which Jackson writes as {@code {}}),
 * at the top of a payload or anywhere inside it. Such a payload would be stored as {@code {}} and
 * run with its data gone. A record without components and an empty map or list are still written:
 * they are empty on purpose.
 */
final class PayloadMapper {

	private PayloadMapper() {
	}

	static JsonMapper refusingValuesWrittenAsNothing(JsonMapper json) {
		SimpleModule module = new SimpleModule("pgqueue-payloads");
		module.setSerializerModifier(new RefuseHiddenClasses());
		return json.rebuild().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).addModule(module).build();
	}

	private static final class RefuseHiddenClasses extends ValueSerializerModifier {

		@Override
		public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier description,
				ValueSerializer<?> serializer) {
			Class<?> type = description.getBeanClass();
			return (type.isHidden() || type.isSynthetic()) ? new NothingToWrite() : serializer;
		}

	}

	private static final class NothingToWrite extends ValueSerializer<Object> {

		@Override
		public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
			context.reportBadDefinition(context.constructType(value.getClass()), value.getClass().getName()
					+ " is a lambda, a method reference or another generated class: Jackson would write it as {}");
		}

	}

}
