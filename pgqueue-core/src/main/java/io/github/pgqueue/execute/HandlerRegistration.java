package io.github.pgqueue.execute;

import java.lang.reflect.Type;
import java.util.Objects;

/**
 * One kind's handler.
 *
 * @param kind the kind it handles
 * @param payloadType the type the payload is read into
 * @param invoker calls the handler
 * @param description names the handler in messages (for example the method)
 * @param timeout the handler's own job timeout, {@code null} for its queue's or the engine's
 */
public record HandlerRegistration(String kind, Type payloadType, HandlerInvoker invoker, String description,
		java.time.@org.jspecify.annotations.Nullable Duration timeout) {

	public HandlerRegistration {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(payloadType, "payloadType");
		Objects.requireNonNull(invoker, "invoker");
		Objects.requireNonNull(description, "description");
		if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
			throw new IllegalArgumentException("the timeout of " + description + " must be positive, was " + timeout);
		}
	}

	public HandlerRegistration(String kind, Type payloadType, HandlerInvoker invoker, String description) {
		this(kind, payloadType, invoker, description, null);
	}

}
