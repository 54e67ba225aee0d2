package io.github.pgqueue.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real PgBouncer (Debian's {@code pgbouncer} package) in transaction pooling mode, started as a
 * child process on a free loopback port with its configuration in a temporary folder, in front of
 * the database the integration tests use. Stopped with {@link #close()}.
 * <p>
 * When no {@code pgbouncer} binary is installed the test is skipped, saying so, unless
 * {@value #REQUIRED_VARIABLE} is {@code true} (CI sets it, having installed the package), when it fails.
 */
public final class PgBouncer implements AutoCloseable {

	/** Set to {@code true} to fail rather than skip when PgBouncer is not installed. */
	public static final String REQUIRED_VARIABLE = "PGQUEUE_TEST_PGBOUNCER_REQUIRED";

	private static final Logger logger = LoggerFactory.getLogger(PgBouncer.class);

	private final Process process;

	private final Path folder;

	private final int port;

	private final String database;

	private final String user;

	private PgBouncer(Process process, Path folder, int port, String database, String user) {
		this.process = process;
		this.folder = folder;
		this.port = port;
		this.database = database;
		this.user = user;
	}

	/**
	 * Starts PgBouncer in front of {@link TestDatabase#jdbcUrl()}, with server connections limited to
	 * {@code poolSize} so that clients share them (as in production).
	 */
	public static PgBouncer start(int poolSize) {
		Path binary = binary();
		Target target = Target.of(TestDatabase.jdbcUrl());
		try {
			Path folder = Files.createTempDirectory("pgqueue-pgbouncer-");
			int port = freePort();
			Files.writeString(folder.resolve("users.txt"), "\"" + target.user() + "\" \"\"\n");
			Files.writeString(folder.resolve("pgbouncer.ini"), """
					[databases]
					%s = host=%s port=%d dbname=%s%s

					[pgbouncer]
					listen_addr = 127.0.0.1
					listen_port = %d
					unix_socket_dir =
					auth_type = trust
					auth_file = %s
					pool_mode = transaction
					default_pool_size = %d
					max_client_conn = 200
					ignore_startup_parameters = extra_float_digits
					logfile = %s
					pidfile = %s
					""".formatted(target.database(), target.host(), target.port(), target.database(),
					target.password().map((password) -> " password=" + password).orElse(""), port,
					folder.resolve("users.txt"), poolSize, folder.resolve("pgbouncer.log"),
					folder.resolve("pgbouncer.pid")));
			List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
			if ("root".equals(System.getProperty("user.name"))) {
				// PgBouncer refuses to run as root: it switches to the server's own user
				command.addAll(List.of("-u", "postgres"));
				Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
			}
			command.add(folder.resolve("pgbouncer.ini").toString());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(folder.resolve("pgbouncer.out").toFile())
				.start();
			PgBouncer bouncer = new PgBouncer(process, folder, port, target.database(), target.user());
			// a test JVM that ends without close() must not leave PgBouncer running
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "pgbouncer-stop"));
			await().atMost(Duration.ofSeconds(20))
				.alias("PgBouncer accepting on 127.0.0.1:" + port + "; its output: " + bouncer.output())
				.until(() -> process.isAlive() && accepts(port));
			logger.info("Started {} in transaction mode on 127.0.0.1:{} in front of {}:{}/{}", version(), port,
					target.host(), target.port(), target.database());
			return bouncer;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start PgBouncer", ex);
		}
	}

	/** @return the version PgBouncer reports, e.g. {@code PgBouncer 1.18.0} */
	public static String version() {
		try {
			Process process = new ProcessBuilder(binary().toString(), "--version").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return out.lines().findFirst().orElse("unknown").trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	/** @return the JDBC URL of the database through PgBouncer, with the given extra parameters */
	public String jdbcUrl(String parameters) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + this.database + "?user=" + this.user
				+ (parameters.isEmpty() ? "" : "&" + parameters);
	}

	/** @return a pool of connections through PgBouncer, as an application would configure it */
	public HikariDataSource dataSource(String parameters, int maximumPoolSize) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(jdbcUrl(parameters));
		config.setMaximumPoolSize(maximumPoolSize);
		config.setMinimumIdle(0);
		config.setConnectionTimeout(10_000);
		config.setPoolName("pgbouncer-test");
		return new HikariDataSource(config);
	}

	/** @return what PgBouncer logged so far */
	public String log() {
		return read(this.folder.resolve("pgbouncer.log")) + read(this.folder.resolve("pgbouncer.out"));
	}

	private String output() {
		return log();
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		try (Stream<Path> files = Files.walk(this.folder)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// a temporary folder left behind
		}
	}

	private static Path binary() {
		Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((dir) -> !dir.isEmpty())
			.map((dir) -> Path.of(dir, "pgbouncer"))
			.filter(Files::isExecutable)
			.findFirst()
			.or(() -> Optional.of(Path.of("/usr/sbin/pgbouncer")).filter(Files::isExecutable));
		if (found.isEmpty()) {
			String message = "PgBouncer is not installed (apt-get install -y pgbouncer)";
			if (Boolean.parseBoolean(System.getenv(REQUIRED_VARIABLE))) {
				throw new IllegalStateException(message + " and " + REQUIRED_VARIABLE + " is true");
			}
			Assumptions.abort(message + ": skipped");
		}
		return found.get();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** Where the tests' database is, from its JDBC URL. */
	private record Target(String host, int port, String database, String user, Optional<String> password) {

		static Target of(String jdbcUrl) {
			URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
			Map<String, String> parameters = new LinkedHashMap<>();
			if (uri.getRawQuery() != null) {
				for (String pair : uri.getRawQuery().split("&")) {
					int equals = pair.indexOf('=');
					if (equals > 0) {
						parameters.put(pair.substring(0, equals).toLowerCase(Locale.ROOT), pair.substring(equals + 1));
					}
				}
			}
			String host = uri.getHost();
			if (host == null || host.equals("localhost")) {
				host = "127.0.0.1";
			}
			return new Target(host, (uri.getPort() > 0) ? uri.getPort() : 5432, uri.getPath().substring(1),
					parameters.getOrDefault("user", "postgres"), Optional.ofNullable(parameters.get("password")));
		}

	}

}
