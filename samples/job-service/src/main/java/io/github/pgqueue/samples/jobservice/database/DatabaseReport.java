package io.github.pgqueue.samples.jobservice.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs, once the service is ready, which database it uses, why, and what to set to use another.
 */
@Component
public class DatabaseReport {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseReport.class);

	private final ObjectProvider<JdbcConnectionDetails> connectionDetails;

	private final ObjectProvider<DatabaseChoice> choice;

	DatabaseReport(ObjectProvider<JdbcConnectionDetails> connectionDetails, ObjectProvider<DatabaseChoice> choice) {
		this.connectionDetails = connectionDetails;
		this.choice = choice;
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		JdbcConnectionDetails details = this.connectionDetails.getIfUnique();
		String url = (details != null) ? withoutQuery(details.getJdbcUrl()) + " as user " + details.getUsername()
				: "the configured DataSource";
		DatabaseChoice chosen = this.choice.getIfAvailable(() -> new DatabaseChoice(
				"spring.datasource.url is set", "to use another database, change spring.datasource.url"));
		logger.info("Jobs are stored in PostgreSQL at {}: {}; {}.", url, chosen.reason(), chosen.otherwise());
	}

	private static String withoutQuery(String url) {
		int query = url.indexOf('?');
		return (query >= 0) ? url.substring(0, query) : url;
	}

}
