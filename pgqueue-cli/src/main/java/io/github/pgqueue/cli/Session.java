package io.github.pgqueue.cli;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.PgQueue;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * One command's connection and the operations over it: a {@link PgQueue} that never starts its
 * worker, so the CLI reads and writes through exactly the operations the starter's endpoint uses.
 */
final class Session implements AutoCloseable {

	private final Connection connection;

	private final SingleConnectionDataSource dataSource;

	private final String schema;

	private final PgQueue pgQueue;

	Session(Connection connection, String schema) {
		this.connection = connection;
		this.dataSource = new SingleConnectionDataSource(connection, true);
		this.schema = schema;
		this.pgQueue = PgQueue.builder(this.dataSource)
			.settings(EngineSettings.builder().schema(schema).build())
			.build();
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	String schema() {
		return this.schema;
	}

	JobQueue jobQueue() {
		return this.pgQueue.jobQueue();
	}

	JobOperations operations() {
		return this.pgQueue.jobOperations();
	}

	/**
	 * @throws CliFailure when the schema holds no pgqueue tables, saying to migrate first
	 */
	void requireTables() {
		try (var statement = this.connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			statement.setString(1, this.schema + ".pgqueue_job");
			try (var rs = statement.executeQuery()) {
				rs.next();
				if (!rs.getBoolean(1)) {
					throw new CliFailure("schema '" + this.schema + "' has no pgqueue tables: run 'migrate' first"
							+ " (or pass the --schema they are in)");
				}
			}
		}
		catch (SQLException ex) {
			throw new CliFailure("cannot read schema '" + this.schema + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// the command's work is done or failed already; a failed close changes neither
		}
	}

}
