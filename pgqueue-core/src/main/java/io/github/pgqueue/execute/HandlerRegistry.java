package io.github.pgqueue.execute;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The handlers of one node, by kind. A worker claims only kinds it finds here, so a rolling deploy
 * never has old workers failing new kinds.
 */
public final class HandlerRegistry {

	private final Map<String, HandlerRegistration> byKind;

	/**
	 * @throws IllegalStateException when two registrations claim one kind, or a kind is blank
	 */
	public HandlerRegistry(Collection<HandlerRegistration> registrations) {
		Map<String, HandlerRegistration> byKind = new LinkedHashMap<>();
		for (HandlerRegistration registration : registrations) {
			if (registration.kind().isBlank()) {
				throw new IllegalStateException("handler " + registration.description() + " has a blank kind");
			}
			HandlerRegistration previous = byKind.putIfAbsent(registration.kind(), registration);
			if (previous != null) {
				throw new IllegalStateException("two handlers for job kind '" + registration.kind() + "': "
						+ previous.description() + " and " + registration.description());
			}
		}
		this.byKind = Map.copyOf(byKind);
	}

	public Optional<HandlerRegistration> find(String kind) {
		return Optional.ofNullable(this.byKind.get(kind));
	}

	public Set<String> kinds() {
		return this.byKind.keySet();
	}

	public boolean isEmpty() {
		return this.byKind.isEmpty();
	}

}
