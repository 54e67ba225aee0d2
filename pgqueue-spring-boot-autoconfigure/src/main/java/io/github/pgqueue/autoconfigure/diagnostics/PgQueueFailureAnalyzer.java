package io.github.pgqueue.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports pgqueue's own start-up errors (no database to reach, a database that is not PostgreSQL, no
 * DataSource to choose, an older Spring Boot) as a description and an action instead of a stack
 * trace. Invalid {@code pgqueue.*} values fail with Spring Boot's own
 * {@code InvalidConfigurationPropertyValueException}, which Boot's analyzer reports the same way.
 */
public class PgQueueFailureAnalyzer extends AbstractFailureAnalyzer<PgQueueStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PgQueueStartupException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
