package io.github.pgqueue.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import io.github.pgqueue.PgQueueException;
import io.github.pgqueue.config.SqlIdentifier;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

import org.springframework.util.ClassUtils;

/**
 * Applies pgqueue's bundled changelog ({@value #CHANGELOG}) to a schema, tracking it in its own
 * tables ({@value #CHANGELOG_TABLE}, {@value #CHANGELOG_LOCK_TABLE}) so it never meets the
 * application's own Liquibase or Flyway history. Applying it again changes nothing; concurrent
 * nodes serialize on Liquibase's lock table.
 * <p>
 * Needs {@code liquibase-core} on the class path (an optional dependency); without it, set
 * {@code pgqueue.migrate=false} and apply the SQL files beside the changelog yourself.
 */
public final class SchemaMigrator {

	/** The bundled changelog, on the class path. */
	public static final String CHANGELOG = "db/changelog/pgqueue/changelog.yaml";

	/** pgqueue's own changelog history table. */
	public static final String CHANGELOG_TABLE = "pgqueue_databasechangelog";

	/** pgqueue's own changelog lock table. */
	public static final String CHANGELOG_LOCK_TABLE = "pgqueue_databasechangeloglock";

	private final DataSource dataSource;

	private final String schema;

	public SchemaMigrator(DataSource dataSource, String schema) {
		this.dataSource = dataSource;
		this.schema = SqlIdentifier.requireSchema("schema", schema);
	}

	/** @return whether Liquibase is on the class path, so that {@link #migrate()} can run */
	public static boolean isLiquibasePresent(ClassLoader classLoader) {
		return ClassUtils.isPresent("liquibase.command.CommandScope", classLoader);
	}

	/**
	 * Creates the schema if it is missing and applies every change set not yet applied.
	 * @throws PgQueueException when Liquibase is absent or a change set fails
	 */
	public void migrate() {
		ClassLoader classLoader = SchemaMigrator.class.getClassLoader();
		if (!isLiquibasePresent(classLoader)) {
			throw new PgQueueException("pgqueue cannot migrate its schema: liquibase-core is not on the class path. "
					+ "Add it, or set pgqueue.migrate=false and apply the SQL files under db/changelog/pgqueue/ yourself");
		}
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			String searchPath = currentSearchPath(connection);
			try {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("CREATE SCHEMA IF NOT EXISTS " + this.schema);
					// the SQL files name tables unqualified, as a DBA would run them
					statement.execute("SET search_path TO " + this.schema);
				}
				update(connection, classLoader);
			}
			finally {
				try (Statement statement = connection.createStatement()) {
					statement.execute("SELECT set_config('search_path', '" + searchPath.replace("'", "''") + "', false)");
				}
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new PgQueueException("pgqueue could not migrate schema '" + this.schema + "': " + ex.getMessage(), ex);
		}
	}

	private void update(Connection connection, ClassLoader classLoader) {
		try {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			database.setDefaultSchemaName(this.schema);
			database.setLiquibaseSchemaName(this.schema);
			database.setDatabaseChangeLogTableName(CHANGELOG_TABLE);
			database.setDatabaseChangeLogLockTableName(CHANGELOG_LOCK_TABLE);
			// progress goes to Liquibase's logger (as SpringLiquibase does), never straight to System.out
			Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(classLoader),
					Scope.Attr.ui.name(), new LoggerUIService()),
					() -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
						.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
						.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
						.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
						.execute());
		}
		catch (Exception ex) {
			throw new PgQueueException("pgqueue could not apply " + CHANGELOG + " to schema '" + this.schema + "': "
					+ ex.getMessage(), ex);
		}
	}

	private static String currentSearchPath(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT current_setting('search_path')")) {
			rs.next();
			return rs.getString(1);
		}
	}

}
