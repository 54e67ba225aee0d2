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
 */
public record HandlerRegistration(String kind, Type payloadType, HandlerInvoker invoker, String description) {

	public HandlerRegistration {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(payloadType, "payloadType");
		Objects.requireNonNull(invoker, "invoker");
		Objects.requireNonNull(description, "description");
	}

}
