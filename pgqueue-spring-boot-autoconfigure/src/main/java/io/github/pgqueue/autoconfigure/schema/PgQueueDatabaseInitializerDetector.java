package io.github.pgqueue.autoconfigure.schema;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Tells Spring Boot that {@link PgQueueSchemaInitializer} initializes the database, after every
 * other database initializer: Spring Boot makes the initializers of a later detector depend on those
 * of the earlier ones, so the application's Flyway (order 1), Liquibase and SQL scripts run first and
 * find their schema as they left it (Flyway refuses a non-empty schema without its history table).
 */
class PgQueueDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(PgQueueSchemaInitializer.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
