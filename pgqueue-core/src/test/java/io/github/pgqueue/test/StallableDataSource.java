package io.github.pgqueue.test;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that can refuse connections to the threads whose name starts with a prefix,
 * and their statements even on connections they hold, as a stalled part of a node would (a long GC
 * pause, a frozen VM): for example its heartbeat, on the {@code pgqueue-heartbeat-} thread, so that
 * its leases expire while its handlers run on.
 */
public final class StallableDataSource implements DataSource {

	private final DataSource delegate;

	private volatile @Nullable String stalledPrefix;

	public StallableDataSource(DataSource delegate) {
		this.delegate = delegate;
	}

	/** Refuses connections to the threads whose name starts with {@code threadPrefix}. */
	public void stall(String threadPrefix) {
		this.stalledPrefix = threadPrefix;
	}

	/** Gives every thread connections again. */
	public void resume() {
		this.stalledPrefix = null;
	}

	private void checkNotStalled() throws SQLException {
		String prefix = this.stalledPrefix;
		if (prefix != null && Thread.currentThread().getName().startsWith(prefix)) {
			throw new SQLException("stalled for the test: " + Thread.currentThread().getName());
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		checkNotStalled();
		return stallable(this.delegate.getConnection());
	}

	/** A connection whose statements are refused to stalled threads too, even when it is held on to. */
	private Connection stallable(Connection connection) {
		return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
						checkNotStalled();
					}
					try {
						return method.invoke(connection, args);
					}
					catch (java.lang.reflect.InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		checkNotStalled();
		return this.delegate.getConnection(username, password);
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.delegate.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.delegate.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.delegate.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.delegate.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() {
		return Logger.getLogger("io.github.pgqueue.test");
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return this.delegate.isWrapperFor(iface);
	}

}
