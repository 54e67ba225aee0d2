package io.github.pgqueue.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * One connection taken from the application's pool and kept for the engine's own statements (the
 * heartbeat, the release at shutdown), so that handlers exhausting the pool can never delay them.
 * After a failure, {@link #resetConnection()} gives it back and the next use takes a fresh one.
 */
public final class ReservedConnection extends SingleConnectionDataSource {

	private final DataSource pool;

	public ReservedConnection(DataSource pool) {
		this.pool = pool;
		setSuppressClose(true);
		setAutoCommit(true);
		// required by the superclass to open lazily; the connection itself comes from the pool
		setUrl("pgqueue:reserved");
	}

	@Override
	protected Connection getConnectionFromDriver(Properties props) throws SQLException {
		return this.pool.getConnection();
	}

}
