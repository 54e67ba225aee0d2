package io.github.pgqueue.autoconfigure.schema;

import java.util.Set;

import io.github.pgqueue.JobQueue;
import io.github.pgqueue.autoconfigure.PgQueueWorkerLifecycle;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Makes pgqueue's job queue and worker wait for every database initializer (pgqueue's own schema, and
 * the application's Liquibase, Flyway or SQL scripts), as Spring Boot's Quartz support does.
 */
class PgQueueDependsOnDatabaseInitializationDetector extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

	@Override
	protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
		return Set.of(JobQueue.class, PgQueueWorkerLifecycle.class);
	}

}
