package io.github.pgqueue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a plain-Java user calls on {@link PgQueue} and its builder takes and returns only public API
 * types: the sub-packages are internal. The one exception is {@link PgQueue#synchronousRunner()}, the
 * test kit's ({@code pgqueue-test}) entry, documented as not for applications.
 */
class PublicApiTests {

	@Test
	void pgQueueAndItsBuilderTakeAndReturnNoInternalType() {
		List<String> internal = new ArrayList<>();
		for (Class<?> type : List.of(PgQueue.class, PgQueue.Builder.class)) {
			for (Method method : type.getDeclaredMethods()) {
				if (!Modifier.isPublic(method.getModifiers()) || isTestKitEntry(method)) {
					continue;
				}
				List<Class<?>> used = new ArrayList<>(List.of(method.getParameterTypes()));
				used.add(method.getReturnType());
				for (Class<?> usedType : used) {
					if (isInternal(usedType)) {
						internal.add(type.getSimpleName() + "." + method.getName() + " uses " + usedType.getName());
					}
				}
			}
		}
		assertThat(internal).isEmpty();
	}

	private static boolean isTestKitEntry(Method method) {
		return method.getDeclaringClass() == PgQueue.class && method.getName().equals("synchronousRunner")
				&& method.getParameterCount() == 0;
	}

	private static boolean isInternal(Class<?> type) {
		Class<?> component = type.isArray() ? type.getComponentType() : type;
		return component.getPackageName().startsWith("io.github.pgqueue.");
	}

}
