package io.github.pgqueue;

import java.util.Optional;

/**
 * Resolves the kind a payload type declares with {@link Job}.
 */
public final class JobKinds {

	private JobKinds() {
	}

	/**
	 * @param type a payload type
	 * @return the kind its {@link Job} annotation names, if it carries one
	 */
	public static Optional<String> kindOf(Class<?> type) {
		Job job = type.getAnnotation(Job.class);
		return (job != null) ? Optional.of(job.value()) : Optional.empty();
	}

	/**
	 * @param payload a payload whose type carries {@link Job}
	 * @return its kind
	 * @throws IllegalArgumentException when the payload's type carries no {@link Job}
	 */
	public static String kindOf(Object payload) {
		return kindOf(payload.getClass()).orElseThrow(() -> new IllegalArgumentException("payload type "
				+ payload.getClass().getName() + " has no @Job annotation: annotate it or pass the kind explicitly"));
	}

}
