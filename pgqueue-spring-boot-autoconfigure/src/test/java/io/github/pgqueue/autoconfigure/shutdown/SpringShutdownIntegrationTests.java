package io.github.pgqueue.autoconfigure.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.test.ChildProcess;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application stopped by SIGTERM, with {@code pgqueue.shutdown-timeout} and
 * {@code spring.lifecycle.timeout-per-shutdown-phase} at their defaults, while jobs still run:
 * the jobs unfinished at the end of the drain are released before the DataSource closes, keep their
 * attempt, and the process exits in bounded time.
 */
class SpringShutdownIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Test
	void sigtermWithTheDefaultTimeoutsReleasesRunningJobsBeforeThePoolCloses() throws Exception {
		for (int i = 0; i < 2; i++) {
			db.jdbc()
				.sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) VALUES ('long', '\"x\"', 5)")
				.update();
		}
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + TestDatabase.jdbcUrl(),
				"--spring.datasource.username=" + TestDatabase.sharedDataSource().getUsername(),
				"--pgqueue.schema=" + db.schema(), "--pgqueue.migrate=false", "--spring.main.web-application-type=none",
				"--pgqueue.poll-interval=100ms", "--spring.liquibase.enabled=false"));
		try (ChildProcess child = ChildProcess.start(ShutdownChildApplication.class, args.toArray(String[]::new))) {
			child.awaitLine(ShutdownChildApplication.READY, Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(30)).alias("both jobs running; the child printed " + tail(child)).until(() -> child.lines().stream().filter((line) -> line.startsWith("STARTED ")).count() == 2);
			long stopAt = System.nanoTime();
			child.sigterm();
			assertThat(child.waitFor(Duration.ofSeconds(75))).as("exited within 75 s of SIGTERM; it printed: %s",
					tail(child)).isTrue();
			System.out.println("child output:\n" + tail(child));
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopAt);
			assertThat(seconds).as("seconds from SIGTERM to exit").isLessThan(75);
			assertThat(child.lines()).noneMatch((line) -> line.contains("could not release"));
		}
		assertThat(db.countJobs("available")).as("jobs released at shutdown").isEqualTo(2);
		assertThat(db.jdbc().sql("SELECT max(attempt) FROM " + db.jobTable()).query(Integer.class).single())
			.as("attempts counted for released jobs").isZero();
	}

	private static String tail(ChildProcess child) {
		List<String> lines = child.lines();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
	}

}
