package io.github.pgqueue.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of the test database, so a test can take the database away from
 * one application (every connection cut, new ones refused) and give it back, without stopping the
 * server the other tests share.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicLong refused = new AtomicLong();

	private volatile boolean cut;

	private volatile boolean closed;

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** @return a proxy in front of the database {@link TestDatabase} uses */
	public static TcpProxy forTestDatabase() {
		URI uri = URI.create(TestDatabase.jdbcUrl().substring("jdbc:".length()));
		try {
			return new TcpProxy(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** @return the test database's JDBC URL, through this proxy */
	public String jdbcUrl() {
		URI uri = URI.create(TestDatabase.jdbcUrl().substring("jdbc:".length()));
		return "jdbc:postgresql://127.0.0.1:" + this.server.getLocalPort() + uri.getPath()
				+ ((uri.getQuery() != null) ? "?" + uri.getQuery() : "");
	}

	/** Closes every proxied connection and refuses new ones until {@link #restore()}. */
	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	public void restore() {
		this.cut = false;
	}

	/** @return how many connections were refused while cut, since the proxy started */
	public long refused() {
		return this.refused.get();
	}

	@Override
	public void close() {
		this.closed = true;
		cut();
		closeQuietly(this.server);
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (this.cut) {
					this.refused.incrementAndGet();
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection fail
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
