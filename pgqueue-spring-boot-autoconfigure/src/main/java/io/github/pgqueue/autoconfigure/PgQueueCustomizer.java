package io.github.pgqueue.autoconfigure;

import io.github.pgqueue.EngineSettings;

/**
 * Customizes the engine's settings after {@code pgqueue.*} properties were applied, in
 * {@link org.springframework.core.Ordered order}. The way to change what properties do not cover:
 * the engine's internal types are not beans to replace.
 */
@FunctionalInterface
public interface PgQueueCustomizer {

	/**
	 * @param settings the settings, with the {@code pgqueue.*} properties applied
	 */
	void customize(EngineSettings.Builder settings);

}
