package io.github.pgqueue.autoconfigure.schema;

import javax.sql.DataSource;

import io.github.pgqueue.schema.SchemaMigrator;

import org.springframework.beans.factory.InitializingBean;

/**
 * Applies pgqueue's bundled changelog when the context starts, with pgqueue's own tracking tables.
 * Declared to Spring Boot as a database initializer, so that beans depending on database
 * initialization (pgqueue's worker among them) are created only after it ran.
 */
public class PgQueueSchemaInitializer implements InitializingBean {

	private final DataSource dataSource;

	private final String schema;

	public PgQueueSchemaInitializer(DataSource dataSource, String schema) {
		this.dataSource = dataSource;
		this.schema = schema;
	}

	@Override
	public void afterPropertiesSet() {
		new SchemaMigrator(this.dataSource, this.schema).migrate();
	}

}
