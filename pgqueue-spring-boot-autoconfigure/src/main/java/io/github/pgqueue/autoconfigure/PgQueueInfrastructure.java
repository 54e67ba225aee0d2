package io.github.pgqueue.autoconfigure;

import javax.sql.DataSource;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.store.JobStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * What pgqueue's auto-configurations share: the chosen DataSource, the engine's settings, its store
 * and its JSON mapper. Internal and not meant to be replaced (only the auto-configuration creates
 * one): change settings with a {@link PgQueueCustomizer}, the DataSource with
 * {@link PgQueueDataSource @PgQueueDataSource}.
 */
public final class PgQueueInfrastructure {

	private final DataSource dataSource;

	private final EngineSettings settings;

	private final JobStore store;

	private final JsonMapper jsonMapper;

	PgQueueInfrastructure(DataSource dataSource, EngineSettings settings, JsonMapper jsonMapper) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.jsonMapper = jsonMapper;
		this.store = new JobStore(dataSource, settings.schema(), jsonMapper);
	}

	/** @return the DataSource pgqueue uses */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/** @return the engine's settings, after properties and customizers */
	public EngineSettings settings() {
		return this.settings;
	}

	/** @return the engine's store */
	public JobStore store() {
		return this.store;
	}

	/** @return the mapper payloads are written and read with */
	public JsonMapper jsonMapper() {
		return this.jsonMapper;
	}

}
