package io.github.pgqueue.samples.jobservice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import io.github.pgqueue.samples.jobservice.database.LocalPostgres;
import io.github.pgqueue.test.PostgresFinder;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start, as written: {@code quickstart-check.sh} takes the start command and the
 * curl line from README.md, runs the command (the Maven build, then {@code java -jar}), waits for
 * the service's health, submits the job with the curl line and waits for it to complete. Only the
 * port (a free one instead of 8080) and the schema (one of its own, dropped afterwards) differ.
 */
class QuickStartIntegrationTests {

	@Test
	void theReadmeQuickStartRunsAJobToCompletion() throws Exception {
		String schema = "quickstart_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
		ProcessBuilder builder = new ProcessBuilder("bash", Path.of("quickstart-check.sh").toAbsolutePath().toString())
			.redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		environment.put("QUICKSTART_PORT", Integer.toString(freePort()));
		environment.put("QUICKSTART_TIMEOUT", "300");
		environment.put("PGQUEUE_SCHEMA", schema);
		String configuredUrl = System.getenv(PostgresFinder.URL_VARIABLE);
		if (configuredUrl != null && !configuredUrl.isBlank()) {
			environment.put("SPRING_DATASOURCE_URL", configuredUrl);
		}
		List<String> output = new CopyOnWriteArrayList<>();
		Process check = builder.start();
		try {
			Thread reader = new Thread(() -> readLines(check, output), "quickstart-output");
			reader.setDaemon(true);
			reader.start();
			await().atMost(Duration.ofMinutes(6)).until(() -> !check.isAlive());
			reader.join(Duration.ofSeconds(5).toMillis());
			String printed = String.join("\n", output);
			assertThat(check.exitValue()).as(printed).isZero();
			assertThat(output).as(printed).contains("quick start OK: job 1 completed");
			if (configuredUrl == null || configuredUrl.isBlank()) {
				assertThat(printed).contains("no spring.datasource.url is set");
			}
		}
		finally {
			// the script stops the service on its way out, also when it is itself stopped
			check.destroy();
			await().atMost(Duration.ofMinutes(1)).until(() -> !check.isAlive());
			dropSchema(schema, configuredUrl);
		}
	}

	/**
	 * Drops the run's schema where the service kept it: in the configured database; else in the
	 * service's own database on localhost:5432; an embedded server of the service's own is gone already.
	 */
	private static void dropSchema(String schema, String configuredUrl) throws SQLException {
		String drop = "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
		if (configuredUrl != null && !configuredUrl.isBlank()) {
			JdbcClient.create(TestDatabase.sharedDataSource()).sql(drop).update();
			return;
		}
		String own = LocalPostgres.url(LocalPostgres.SAMPLE_DATABASE);
		if (LocalPostgres.answers(own)) {
			try (Connection connection = DriverManager.getConnection(own, LocalPostgres.properties());
					Statement statement = connection.createStatement()) {
				statement.execute(drop);
			}
		}
	}

	private static void readLines(Process process, List<String> output) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				output.add(line);
			}
		}
		catch (IOException ex) {
			output.add("(output ended: " + ex + ")");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
