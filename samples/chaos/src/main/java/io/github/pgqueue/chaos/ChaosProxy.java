package io.github.pgqueue.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between the workers and PostgreSQL (adapted from pgqueue-core's test
 * {@code TcpProxy}), through which the chaos run takes the database away for a moment: an
 * {@linkplain #outage outage} resets every open connection (an RST, as a failed network path shows
 * it) and refuses new ones until it ends.
 */
final class ChaosProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile long refuseUntilNanos = System.nanoTime();

	private volatile boolean closed;

	ChaosProxy(String targetHost, int targetPort) throws IOException {
		if (!InetAddress.getByName(targetHost).isLoopbackAddress()) {
			throw new IllegalArgumentException("the chaos proxy forwards to loopback only, not " + targetHost);
		}
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::acceptLoop, "chaos-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** @return the loopback port the proxy listens on */
	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Resets every proxied connection now and refuses new ones for the given time.
	 * @param duration how long the database stays unreachable through the proxy
	 * @return how many connections were reset
	 */
	int outage(Duration duration) {
		this.refuseUntilNanos = System.nanoTime() + duration.toNanos();
		int reset = 0;
		for (Socket socket : Set.copyOf(this.sockets)) {
			if (this.sockets.remove(socket)) {
				reset(socket);
				reset++;
			}
		}
		return reset / 2;
	}

	@Override
	public void close() {
		this.closed = true;
		this.sockets.forEach(ChaosProxy::reset);
		this.sockets.clear();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	private boolean refusing() {
		return System.nanoTime() - this.refuseUntilNanos < 0;
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (refusing()) {
					reset(client);
					continue;
				}
				Socket upstream;
				try {
					upstream = new Socket(this.targetHost, this.targetPort);
				}
				catch (IOException ex) {
					// the server is down: the client's connection fails at once, as a direct one would
					// (left open, it would hang the client's login for ever)
					reset(client);
					continue;
				}
				this.sockets.add(client);
				this.sockets.add(upstream);
				if (refusing()) {
					// an outage began while this one connected
					reset(client);
					reset(upstream);
					continue;
				}
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// the proxy is closed
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
				// one side closed or was reset
			}
			finally {
				this.sockets.remove(from);
				this.sockets.remove(to);
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "chaos-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	// SO_LINGER 0: the close sends an RST, not a FIN, as a broken path between client and server looks
	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// already closed
		}
		closeQuietly(socket);
	}

}
