package io.github.pgqueue.autoconfigure;

import java.util.Arrays;

import javax.sql.DataSource;

import io.github.pgqueue.autoconfigure.diagnostics.PgQueueStartupException;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Chooses pgqueue's {@link DataSource} as Spring Boot's Liquibase and Quartz support choose theirs:
 * the one qualified {@link PgQueueDataSource @PgQueueDataSource}, else the only one or the
 * {@code @Primary} one; with none of these, the start fails naming the DataSources found and the
 * choice to make (never a silently missing {@code JobQueue}).
 */
final class PgQueueDataSourceSelector {

	private PgQueueDataSourceSelector() {
	}

	static DataSource select(ObjectProvider<DataSource> dataSources, ObjectProvider<DataSource> qualified,
			ListableBeanFactory beanFactory) {
		DataSource chosen;
		try {
			chosen = qualified.getIfAvailable();
		}
		catch (NoUniqueBeanDefinitionException ex) {
			throw new PgQueueStartupException(
					"pgqueue found " + ex.getNumberOfBeansFound() + " DataSource beans qualified @PgQueueDataSource"
							+ names(ex.getBeanNamesFound()) + " and needs one.",
					"Keep @PgQueueDataSource on the one DataSource that holds pgqueue's jobs.", ex);
		}
		if (chosen == null) {
			chosen = dataSources.getIfUnique();
		}
		if (chosen == null) {
			String[] names = beanFactory.getBeanNamesForType(DataSource.class);
			throw new PgQueueStartupException(
					"pgqueue found " + names.length + " DataSource beans" + names(Arrays.asList(names))
							+ " and cannot choose the one that holds its jobs: none is @PgQueueDataSource or @Primary.",
					"Mark the DataSource pgqueue should use with @PgQueueDataSource (or make it @Primary), "
							+ "or set pgqueue.enabled=false if this application does not use pgqueue.");
		}
		return chosen;
	}

	private static String names(java.util.@org.jspecify.annotations.Nullable Collection<String> names) {
		return (names == null || names.isEmpty()) ? "" : " (" + String.join(", ", names) + ")";
	}

}
