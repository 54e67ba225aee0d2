package io.github.pgqueue.claim;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.github.pgqueue.ExecutorFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that LISTENs on the schema's channel and hands each notification's queue to
 * the worker, so an idle worker starts a new job within milliseconds. When the connection is lost
 * it reconnects with backoff; meanwhile polling finds every job, only later.
 */
public final class NotificationListener {

	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private static final long MAX_BACKOFF_MILLIS = 5000;

	private final DataSource dataSource;

	private final String channel;

	private final Consumer<String> onNotification;

	private final Runnable onConnected;

	private final Object monitor = new Object();

	private volatile boolean running;

	private volatile boolean listening;

	private @Nullable Thread thread;

	/**
	 * @param onNotification takes the queue named by each notification
	 * @param onConnected called each time LISTEN succeeds, to claim what was missed meanwhile
	 */
	public NotificationListener(DataSource dataSource, String channel, Consumer<String> onNotification,
			Runnable onConnected) {
		this.dataSource = dataSource;
		this.channel = channel;
		this.onNotification = onNotification;
		this.onConnected = onConnected;
	}

	public void start() {
		this.running = true;
		Thread thread = ExecutorFactory.threadFactory("pgqueue-listener-").newThread(this::listenLoop);
		this.thread = thread;
		thread.start();
	}

	public void stop() {
		this.running = false;
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		Thread thread = this.thread;
		if (thread != null) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** @return whether the listener holds a LISTENing connection now */
	public boolean isListening() {
		return this.listening;
	}

	private void listenLoop() {
		long backoff = 100;
		int failures = 0;
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + this.channel);
				}
				PGConnection pg = connection.unwrap(PGConnection.class);
				this.listening = true;
				if (failures > 0) {
					logger.info("pgqueue listener is LISTENing on {} again after {} failure(s)", this.channel, failures);
				}
				failures = 0;
				backoff = 100;
				this.onConnected.run();
				try {
					while (this.running) {
						PGNotification[] notifications = pg.getNotifications(500);
						if (notifications != null) {
							for (PGNotification notification : notifications) {
								this.onNotification.accept(notification.getParameter());
							}
						}
					}
				}
				finally {
					unlisten(connection);
				}
			}
			catch (SQLException | RuntimeException ex) {
				failures++;
				if (this.running && (failures == 1 || failures % 20 == 0)) {
					logger.warn("pgqueue listener lost its connection ({} time(s) in a row); polling meanwhile: {}",
							failures, ex.getMessage());
				}
			}
			finally {
				this.listening = false;
			}
			pause(backoff);
			backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
		}
	}

	// the connection goes back to the pool: it must not keep listening (and queueing notifications)
	private static void unlisten(Connection connection) {
		try (Statement statement = connection.createStatement()) {
			statement.execute("UNLISTEN *");
		}
		catch (SQLException ex) {
			// a broken connection: the pool discards it
		}
	}

	private void pause(long millis) {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			try {
				this.monitor.wait(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
			}
		}
	}

}
