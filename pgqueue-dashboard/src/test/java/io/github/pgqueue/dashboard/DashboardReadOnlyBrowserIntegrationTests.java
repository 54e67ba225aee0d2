package io.github.pgqueue.dashboard;

import java.time.Duration;
import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as it ships ({@code pgqueue.dashboard.read-only} left at true), in headless
 * Chromium: it shows everything and offers no action, and an action posted anyway is refused with
 * 403 and changes nothing.
 */
class DashboardReadOnlyBrowserIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	private static ConfigurableApplicationContext app;

	private static Chromium chromium;

	private static WebDriver browser;

	@BeforeAll
	static void start() {
		app = DashboardTestApplication.start(DashboardTestApplication.class, db,
				DashboardTestApplication.WITHOUT_SECURITY, "--pgqueue.dashboard.allow-actions-without-security=true");
		chromium = Chromium.start();
		browser = chromium.driver();
	}

	@AfterAll
	static void stop() {
		if (chromium != null) {
			chromium.close();
		}
		if (app != null) {
			app.close();
		}
	}

	@Test
	void aReadOnlyDashboardOffersNoActionAndRefusesOnePostedAnywayChangingNothing() {
		JobQueue jobs = app.getBean(JobQueue.class);
		JobId id = jobs.enqueue("charge-card", Map.of("card", "5555"),
				EnqueueOptions.builder().queue("payments").maxAttempts(1).build()).jobId();
		await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(id).map(JobInfo::state).orElseThrow(),
				JobState.DEAD::equals);

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs/" + id.value()));
		assertThat(browser.findElement(By.id("errors")).getText()).contains("card declined for 5555");
		assertThat(browser.findElements(By.id("actions"))).isEmpty();
		browser.get(DashboardTestApplication.url(app, "/pgqueue"));
		assertThat(browser.findElements(By.cssSelector("#queues button"))).isEmpty();

		assertThat(post("/pgqueue/actions/discard", "target=" + id.value() + "&confirmed=true")).isEqualTo(403);
		assertThat(post("/pgqueue/actions/retry", "target=" + id.value())).isEqualTo(403);
		assertThat(post("/pgqueue/actions/pause", "target=payments&confirmed=true")).isEqualTo(403);
		assertThat(post("/pgqueue/actions/retry-dead", "target=charge-card&confirmed=true")).isEqualTo(403);
		browser.get(DashboardTestApplication.url(app, "/pgqueue/confirm?action=discard&target=" + id.value()));
		assertThat(browser.findElement(By.id("refused")).getText()).contains("read-only");

		JobInfo after = jobs.find(id).orElseThrow();
		assertThat(after.state()).isEqualTo(JobState.DEAD);
		assertThat(after.maxAttempts()).isEqualTo(1);
		assertThat(app.getBean(JobOperations.class).pausedQueues()).doesNotContain("payments");
	}

	// a form post from the dashboard's own page, as a user's browser would send it
	private static long post(String path, String form) {
		Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				fetch(arguments[0], { method: 'POST', credentials: 'same-origin',
				    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: arguments[1] })
				  .then(function (r) { done(r.status); }, function (e) { done(-1); });
				""", DashboardTestApplication.url(app, path), form);
		return (Long) status;
	}

}
