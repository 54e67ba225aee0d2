package io.github.pgqueue.claim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
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
 * <p>
 * After each LISTEN it checks that LISTEN works on that connection: it sends itself a notification
 * from another connection and waits up to {@link #PROBE_TIMEOUT} for it. Behind a pooler in
 * transaction mode (PgBouncer) the LISTEN stays on whichever server connection ran it and its
 * notifications are dropped, so the probe never arrives: the listener then logs one WARN that names
 * {@code pgqueue.notify=false} or a direct connection, stops listening for good, and reports
 * {@link State#UNAVAILABLE}; the worker goes on by polling.
 */
public final class NotificationListener {

	/** How long the probe may take to come back before LISTEN is deemed not to work. */
	public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private static final long MAX_BACKOFF_MILLIS = 5000;

	// not a queue: a payload no enqueue sends, so the worker is never woken for it
	private static final String PROBE_PREFIX = "pgqueue:listen-probe:";

	private final DataSource dataSource;

	private final String channel;

	private final Consumer<String> onNotification;

	private final Runnable onConnected;

	private final Object monitor = new Object();

	private volatile boolean running;

	private volatile State state = State.CONNECTING;

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
		this.state = State.CONNECTING;
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

	/** @return whether the listener holds a LISTENing connection now, proven to receive notifications */
	public boolean isListening() {
		return this.state == State.LISTENING;
	}

	/** @return what the listener is doing now */
	public State state() {
		return this.state;
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
				if (failures > 0) {
					logger.info("pgqueue listener is LISTENing on {} again after {} failure(s)", this.channel, failures);
				}
				failures = 0;
				backoff = 100;
				this.onConnected.run();
				try {
					if (!probe(pg)) {
						if (this.running) {
							this.state = State.UNAVAILABLE;
							logger.warn("pgqueue listener: a notification it sent itself on channel {} did not arrive "
									+ "within {} s of LISTEN, so LISTEN cannot work on this connection (most likely a "
									+ "connection pooler in transaction mode, such as PgBouncer, is between pgqueue and "
									+ "PostgreSQL). It stops listening; jobs are still found by polling "
									+ "(pgqueue.poll-interval), but wake-ups from other nodes are lost. Set "
									+ "pgqueue.notify=false, or give pgqueue a direct connection to PostgreSQL (or a "
									+ "session-mode pool) for LISTEN; see the README's PgBouncer section.",
									this.channel, PROBE_TIMEOUT.toSeconds());
						}
						return;
					}
					this.state = State.LISTENING;
					while (this.running) {
						deliver(pg.getNotifications(500), null);
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
				if (this.state == State.LISTENING) {
					this.state = State.CONNECTING;
				}
			}
			pause(backoff);
			backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
		}
	}

	/**
	 * Sends a notification from another connection and waits for this one to receive it, handing on
	 * whatever else arrives meanwhile.
	 * @return whether it arrived (or the listener is stopping)
	 */
	private boolean probe(PGConnection pg) throws SQLException {
		String probe = PROBE_PREFIX + UUID.randomUUID();
		try (Connection sender = this.dataSource.getConnection();
				PreparedStatement notify = sender.prepareStatement("SELECT pg_notify(?, ?)")) {
			sender.setAutoCommit(true);
			notify.setString(1, this.channel);
			notify.setString(2, probe);
			notify.execute();
		}
		long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
		while (this.running && System.nanoTime() < deadline) {
			if (deliver(pg.getNotifications(100), probe)) {
				return true;
			}
		}
		return !this.running;
	}

	/** @return whether the probe was among the notifications */
	private boolean deliver(PGNotification @Nullable [] notifications, @Nullable String probe) {
		boolean probed = false;
		if (notifications != null) {
			for (PGNotification notification : notifications) {
				String queue = notification.getParameter();
				if (queue.startsWith(PROBE_PREFIX)) {
					// this listener's probe, or another node's
					probed |= queue.equals(probe);
				}
				else {
					this.onNotification.accept(queue);
				}
			}
		}
		return probed;
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

	/** What the listener is doing. */
	public enum State {

		/** Notify is off on this node: no listener. */
		OFF,

		/** Connecting, reconnecting, or checking that a new LISTEN receives notifications. */
		CONNECTING,

		/** LISTENing on a connection proven to receive notifications. */
		LISTENING,

		/**
		 * LISTEN does not work on the connections the data source gives (a pooler in transaction
		 * mode): the listener stopped for good, and the worker relies on polling.
		 */
		UNAVAILABLE

	}

}
