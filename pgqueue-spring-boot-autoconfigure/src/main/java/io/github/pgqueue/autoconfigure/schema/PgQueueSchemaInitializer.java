package io.github.pgqueue.autoconfigure.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.pgqueue.autoconfigure.diagnostics.PgQueueStartupException;
import io.github.pgqueue.schema.SchemaMigrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;

/**
 * Applies pgqueue's bundled changelog when the context starts, with pgqueue's own tracking tables,
 * and says in one line what it applied (Liquibase's own progress lines are kept to warnings).
 * Declared to Spring Boot as a database initializer that runs after the application's own (Flyway,
 * Liquibase, SQL scripts), so that it never meets a schema they expect empty; beans depending on
 * database initialization (pgqueue's job queue and worker among them) are created only after it ran.
 * <p>
 * Fails the start, saying so, when the database cannot be reached or is not PostgreSQL.
 */
public class PgQueueSchemaInitializer implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(PgQueueSchemaInitializer.class);

	private final DataSource dataSource;

	private final String schema;

	public PgQueueSchemaInitializer(DataSource dataSource, String schema) {
		this.dataSource = dataSource;
		this.schema = schema;
	}

	@Override
	public void afterPropertiesSet() {
		requirePostgres();
		List<String> before = appliedChangeSets();
		if (SchemaMigrator.isLiquibasePresent(getClass().getClassLoader())) {
			QuietLiquibase.run(() -> new SchemaMigrator(this.dataSource, this.schema).migrate());
		}
		else {
			new SchemaMigrator(this.dataSource, this.schema).migrate();
		}
		List<String> after = appliedChangeSets();
		List<String> applied = new ArrayList<>(after);
		applied.removeAll(before);
		if (applied.isEmpty()) {
			logger.info("pgqueue schema '{}' is up to date ({} change sets, the last {})", this.schema, after.size(),
					last(after));
		}
		else {
			logger.info("pgqueue applied {} change set(s) to schema '{}': {}", applied.size(), this.schema,
					String.join(", ", applied));
		}
	}

	private void requirePostgres() {
		try (Connection connection = this.dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			String product = metaData.getDatabaseProductName();
			if (!"PostgreSQL".equalsIgnoreCase(product)) {
				throw new PgQueueStartupException(
						"pgqueue needs PostgreSQL, but its DataSource is " + product + " "
								+ metaData.getDatabaseProductVersion() + " (" + metaData.getURL() + ").",
						"Point pgqueue's DataSource (spring.datasource.url, or a @PgQueueDataSource bean) at PostgreSQL, "
								+ "or set pgqueue.enabled=false where pgqueue is not wanted, for example in tests "
								+ "that run on another database.");
			}
		}
		catch (SQLException ex) {
			throw new PgQueueStartupException(
					"pgqueue could not reach its database to set up schema '" + this.schema + "': " + ex.getMessage(),
					"Check that the database in spring.datasource.url (or pgqueue's @PgQueueDataSource) exists and "
							+ "accepts connections from this application, with the credentials it is given. "
							+ "pgqueue.migrate=false skips pgqueue's schema set-up at startup.",
					ex);
		}
	}

	private List<String> appliedChangeSets() {
		List<String> ids = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + this.schema + "."
					+ SchemaMigrator.CHANGELOG_TABLE + "') IS NOT NULL")) {
				exists.next();
				if (!exists.getBoolean(1)) {
					return ids;
				}
			}
			try (ResultSet rs = statement.executeQuery("SELECT id FROM " + this.schema + "."
					+ SchemaMigrator.CHANGELOG_TABLE + " ORDER BY orderexecuted")) {
				while (rs.next()) {
					ids.add(rs.getString(1));
				}
			}
		}
		catch (SQLException ex) {
			// the count is only for the log line; the migration reports real failures
			logger.debug("pgqueue could not read its changelog history", ex);
		}
		return ids;
	}

	private static String last(List<String> ids) {
		return ids.isEmpty() ? "none" : ids.get(ids.size() - 1);
	}

}
