package io.github.pgqueue.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Not a test: takes the README's screenshots (PNG under {@code docs/}) in headless Chromium, of the
 * test application with some jobs of every state. Its name keeps it out of {@code verify}; run it
 * with {@code ./mvnw -B verify -pl pgqueue-dashboard -am -Dtest=DashboardScreenshots
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DashboardScreenshots {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@Test
	void takeScreenshots() throws IOException {
		Path docs = Path.of(System.getProperty("pgqueue.screenshots.dir", "../docs"));
		try (ConfigurableApplicationContext app = DashboardTestApplication.start(DashboardTestApplication.class, db,
				DashboardTestApplication.WITHOUT_SECURITY, "--pgqueue.dashboard.read-only=false",
				"--pgqueue.dashboard.allow-actions-without-security=true", "--pgqueue.dashboard.page-size=12",
				"--pgqueue.dashboard.refresh-interval=5s");
				Chromium chromium = Chromium.start()) {
			JobQueue jobs = app.getBean(JobQueue.class);
			for (int i = 0; i < 14; i++) {
				jobs.enqueue("build-report", Map.of("month", "2026-" + (1 + i % 12)),
						EnqueueOptions.builder().queue("reports").build());
			}
			for (int i = 0; i < 5; i++) {
				jobs.enqueue("export-csv", Map.of("table", "orders", "part", i),
						EnqueueOptions.builder().queue("exports").delay(Duration.ofMinutes(30)).build());
			}
			JobId dead = null;
			for (int i = 0; i < 3; i++) {
				dead = jobs.enqueue("charge-card", Map.of("card", "4242-" + i, "amount", Map.of("eur", 19.99)),
						EnqueueOptions.builder().queue("payments").maxAttempts(3).idempotencyKey("order:" + (1000 + i))
							.build()).jobId();
			}
			JobId last = dead;
			await().atMost(Duration.ofSeconds(60)).until(() -> jobs.find(last).map(JobInfo::state).orElseThrow(),
					JobState.DEAD::equals);
			// an hour of finished jobs for the chart
			db.jdbc().sql("""
					INSERT INTO %s (queue, kind, state, max_attempts, attempt, created_at, run_at, finalized_at)
					SELECT 'default', 'ping', CASE WHEN i %% 23 = 0 THEN 'dead' ELSE 'completed' END, 3, 1,
					       now() - m * interval '1 minute', now() - m * interval '1 minute',
					       now() - m * interval '1 minute'
					FROM generate_series(1, 3000) AS i,
					     LATERAL (SELECT (i * 7919 %% 3600) / 60.0 * (0.6 + 0.4 * sin(i)) AS m) AS minutes
					""".formatted(db.jobTable())).update();
			shoot(chromium, DashboardTestApplication.url(app, "/pgqueue"), 640, docs.resolve("dashboard-overview.png"));
			shoot(chromium, DashboardTestApplication.url(app, "/pgqueue/jobs?queue=reports"), 760,
					docs.resolve("dashboard-jobs.png"));
			shoot(chromium, DashboardTestApplication.url(app, "/pgqueue/jobs/" + dead.value()), 1500,
					docs.resolve("dashboard-job.png"));
			shoot(chromium, DashboardTestApplication.url(app, "/pgqueue/dead"), 360, docs.resolve("dashboard-dead.png"));
		}
	}

	private static void shoot(Chromium chromium, String url, int height, Path file) throws IOException {
		chromium.driver().manage().window().setSize(new Dimension(1280, height));
		chromium.driver().get(url);
		Path shot = chromium.driver().getScreenshotAs(OutputType.FILE).toPath();
		Files.createDirectories(file.getParent());
		Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
	}

}
