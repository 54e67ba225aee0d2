package io.github.pgqueue.dashboard;

import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium, in an application without Spring Security whose operator
 * allowed actions ({@code read-only: false}, {@code allow-actions-without-security: true}): the
 * overview's counts, its refresh and its chart; filtering, finding and keyset paging; a job's errors
 * and steps; actions with their confirm step.
 */
class DashboardBrowserIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	private static ConfigurableApplicationContext app;

	private static Chromium chromium;

	private static WebDriver browser;

	@BeforeAll
	static void start() {
		app = DashboardTestApplication.start(DashboardTestApplication.class, db, DashboardTestApplication.WITHOUT_SECURITY,
				"--pgqueue.dashboard.read-only=false", "--pgqueue.dashboard.allow-actions-without-security=true");
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
	void theOverviewShowsEachQueueWithItsCountsAndRefreshesItself() {
		JobQueue jobs = app.getBean(JobQueue.class);
		for (int i = 0; i < 3; i++) {
			jobs.enqueue("build-report", Map.of("n", i), EnqueueOptions.builder().queue("reports").build());
		}
		jobs.enqueue("build-report", Map.of("n", 9),
				EnqueueOptions.builder().queue("reports").delay(Duration.ofHours(1)).build());

		browser.get(DashboardTestApplication.url(app, "/pgqueue"));

		// the page refreshes itself: each cell is read from the row as it is now, not as it was found
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.untilAsserted(() -> {
				assertThat(queueRow("reports").findElement(By.cssSelector(".waiting")).getText()).isEqualTo("3");
				assertThat(queueRow("reports").findElement(By.cssSelector(".scheduled")).getText()).isEqualTo("1");
				assertThat(queueRow("reports").findElement(By.cssSelector(".running")).getText()).isEqualTo("0");
				assertThat(queueRow("reports").findElement(By.cssSelector(".paused")).getText()).isEmpty();
			});
		assertThat(browser.findElements(By.cssSelector("#queues tr[data-queue='payments']"))).hasSize(1);

		// enqueued while the page is open: the page shows it without a reload
		jobs.enqueue("build-report", Map.of("n", 3), EnqueueOptions.builder().queue("reports").build());
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.until(() -> queueRow("reports").findElement(By.cssSelector(".waiting")).getText(), "4"::equals);
	}

	@Test
	void theChartDrawsTheJobsCompletedAndFailedPerMinute() {
		JobQueue jobs = app.getBean(JobQueue.class);
		List<JobId> pings = List.of(
				jobs.enqueue("ping", Map.of(), EnqueueOptions.builder().queue("payments").build()).jobId(),
				jobs.enqueue("ping", Map.of(), EnqueueOptions.builder().queue("payments").build()).jobId());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> pings.stream().allMatch((id) -> jobs.find(id).orElseThrow().state() == JobState.COMPLETED));

		browser.get(DashboardTestApplication.url(app, "/pgqueue"));

		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() -> {
			WebElement chart = browser.findElement(By.id("throughput-chart"));
			assertThat(Long.parseLong(chart.getDomAttribute("data-completed"))).isGreaterThanOrEqualTo(2);
		});
		WebElement chart = browser.findElement(By.id("throughput-chart"));
		assertThat(chart.isDisplayed()).isTrue();
		assertThat(chart.getSize().getWidth()).isGreaterThan(300);
		WebElement completed = chart.findElement(By.cssSelector("polyline.series-completed"));
		assertThat(completed.getDomAttribute("points").split(" ")).hasSize(60);
		assertThat(chart.findElements(By.cssSelector("polyline.series-failed"))).hasSize(1);
		// the line really rises somewhere: a point above the baseline
		String baseline = completed.getDomAttribute("points").split(" ")[0].split(",")[1];
		assertThat(completed.getDomAttribute("points").split(" ")[59].split(",")[1]).isNotEqualTo(baseline);
	}

	@Test
	void theJobListFiltersByStateQueueAndKindAndPagesByKeyset() {
		JobQueue jobs = app.getBean(JobQueue.class);
		long[] ids = new long[5];
		for (int i = 0; i < 5; i++) {
			ids[i] = jobs.enqueue("export-csv", Map.of("n", i), EnqueueOptions.builder().queue("exports").build())
				.jobId()
				.value();
			jobs.enqueue("export-pdf", Map.of("n", i), EnqueueOptions.builder().queue("exports").build());
		}
		JobId cancelled = jobs.enqueue("export-csv", Map.of("n", 99), EnqueueOptions.builder().queue("exports").build())
			.jobId();
		jobs.cancel(cancelled);

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs"));
		new Select(browser.findElement(By.id("filter-state"))).selectByValue("available");
		browser.findElement(By.id("filter-queue")).sendKeys("exports");
		browser.findElement(By.id("filter-kind")).sendKeys("export-csv");
		browser.findElement(By.id("filter-apply")).click();

		// page size 2: newest first, three pages, the cancelled job never shown
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.untilAsserted(() -> assertThat(readIds()).containsExactly(ids[4], ids[3]));
		assertThat(browser.getCurrentUrl()).doesNotContain("offset");
		browser.findElement(By.id("next-page")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.untilAsserted(() -> assertThat(readIds()).containsExactly(ids[2], ids[1]));
		assertThat(browser.getCurrentUrl()).contains("before=" + ids[3]);
		browser.findElement(By.id("next-page")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.untilAsserted(() -> assertThat(readIds()).containsExactly(ids[0]));
		assertThat(browser.findElements(By.id("next-page"))).isEmpty();

		new Select(browser.findElement(By.id("filter-state"))).selectByValue("cancelled");
		browser.findElement(By.id("filter-apply")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.untilAsserted(() -> assertThat(readIds()).containsExactly(cancelled.value()));
	}

	@Test
	void aJobIsFoundByIdOrIdempotencyKey() {
		JobQueue jobs = app.getBean(JobQueue.class);
		JobId id = jobs.enqueue("build-report", Map.of("month", "2026-11"),
				EnqueueOptions.builder().queue("reports").idempotencyKey("report:2026-11").build()).jobId();

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs"));
		browser.findElement(By.id("find")).sendKeys("report:2026-11");
		browser.findElement(By.id("find-go")).click();
		// the click starts a navigation: wait for it to land rather than read the URL it leaves
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(browser.getCurrentUrl()).endsWith("/pgqueue/jobs/" + id.value()));

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs"));
		browser.findElement(By.id("find")).sendKeys(Long.toString(id.value()));
		browser.findElement(By.id("find-go")).click();
		// the click starts a navigation: wait for it to land rather than read the URL it leaves
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(browser.getCurrentUrl()).endsWith("/pgqueue/jobs/" + id.value()));

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs?find=no-such-key"));
		assertThat(browser.findElement(By.id("not-found")).getText()).contains("no-such-key");
	}

	@Test
	void aJobShowsItsPayloadEveryAttemptsErrorWithItsStackAndItsSteps() {
		JobId id = deadChargeJob("4242");

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs/" + id.value()));

		assertThat(browser.findElement(By.tagName("h1")).getText()).contains("dead");
		assertThat(browser.findElement(By.id("payload")).getText()).contains("\"card\" : \"4242\"");
		List<WebElement> errors = browser.findElements(By.cssSelector("#errors .attempt-error"));
		assertThat(errors).hasSize(2);
		assertThat(errors.get(0).getDomAttribute("data-attempt")).isEqualTo("1");
		assertThat(errors.get(1).findElement(By.cssSelector(".message")).getText()).contains("card declined for 4242");
		assertThat(errors.get(1).findElement(By.cssSelector(".stack")).getText())
			.contains("IllegalStateException")
			.contains("DashboardTestApplication$TestJobs.charge");
		WebElement step = browser.findElement(By.cssSelector("#steps tr[data-step='reserve-funds']"));
		assertThat(step.findElement(By.cssSelector(".step-state")).getText()).isEqualTo("SUCCEEDED");
		String page = browser.findElement(By.id("job")).getText();
		assertThat(page).contains("Created").contains("Run at").contains("Attempted").contains("Finalized")
			.contains("Lease until");
	}

	@Test
	void anOperatorRetriesADeadJobAndDiscardsOneAfterConfirming() {
		JobQueue jobs = app.getBean(JobQueue.class);
		JobId retried = deadChargeJob("1111");
		JobId discarded = deadChargeJob("2222");

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs/" + retried.value()));
		browser.findElement(By.id("action-retry-" + retried.value())).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(browser.findElement(By.id("flash")).getText()).contains("put back to available"));
		// put back with one more attempt than it had used (it may have run and died again since)
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(jobs.find(retried).orElseThrow().maxAttempts()).isEqualTo(3));

		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs/" + discarded.value()));
		browser.findElement(By.id("action-discard-" + discarded.value())).click();
		// a confirm step first: nothing changed yet
		assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Discard dead job " + discarded.value());
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(jobs.find(discarded)).isPresent());
		browser.findElement(By.id("confirm")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(browser.findElement(By.id("flash")).getText()).contains("discarded"));
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(jobs.find(discarded)).isEmpty());
	}

	@Test
	void anOperatorPausesAndResumesAQueue() {
		JobOperations operations = app.getBean(JobOperations.class);

		browser.get(DashboardTestApplication.url(app, "/pgqueue"));
		browser.findElement(By.id("action-pause-exports")).click();
		browser.findElement(By.id("confirm")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(operations.pausedQueues()).contains("exports"));
		assertThat(queueRow("exports").findElement(By.cssSelector(".paused")).getText()).isEqualTo("paused");

		browser.findElement(By.id("action-resume-exports")).click();
		// the resume posts at once (it destroys nothing): wait for its answer
		await().atMost(Duration.ofSeconds(20)).until(() -> !operations.pausedQueues().contains("exports"));
		await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.until(() -> queueRow("exports").findElement(By.cssSelector(".paused")).getText().isEmpty());
	}

	@Test
	void theDeadLetterGroupsByKindAndRetriesAKindAfterConfirming() {
		JobQueue jobs = app.getBean(JobQueue.class);
		JobId first = deadChargeJob("3333");

		browser.get(DashboardTestApplication.url(app, "/pgqueue/dead"));
		WebElement kind = browser.findElement(By.cssSelector("#dead-kinds tr[data-kind='charge-card']"));
		assertThat(Long.parseLong(kind.findElement(By.cssSelector(".jobs")).getText())).isGreaterThanOrEqualTo(1);
		kind.findElement(By.id("action-retry-dead-charge-card")).click();
		browser.findElement(By.id("confirm")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(browser.findElement(By.id("flash")).getText()).contains("dead job(s) put back to available"));
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(jobs.find(first).orElseThrow().maxAttempts()).isGreaterThan(2));
	}

	@Test
	void theWorkersPageShowsThisNodeAndTheWorkersHoldingLeases() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (queue, kind, state, max_attempts, attempt, lease_owner,"
				+ " lease_expires_at) VALUES ('exports', 'export-xml', 'running', 3, 1, 'node-b-4711',"
				+ " now() + interval '30 seconds')").update();

		browser.get(DashboardTestApplication.url(app, "/pgqueue/workers"));

		assertThat(browser.findElement(By.id("this-node")).getText()).contains("Worker id").contains("Last heartbeat");
		String other = browser.findElement(By.cssSelector("#lease-holders tr[data-worker='node-b-4711']")).getText();
		assertThat(other).contains("export-xml").contains("exports");
	}

	@Test
	void thePeriodicPageShowsEachPeriodicJobWithItsNextTick() {
		browser.get(DashboardTestApplication.url(app, "/pgqueue/periodic"));

		String nightly = browser.findElement(By.cssSelector("#periodic tr[data-periodic='nightly-cleanup']")).getText();
		assertThat(nightly).contains("cleanup").contains("reports");
		assertThat(browser.findElement(By.cssSelector("#periodic tr[data-periodic='nightly-cleanup'] .next")).getText())
			.endsWith("03:00:00Z");
	}

	private static JobId deadChargeJob(String card) {
		JobQueue jobs = app.getBean(JobQueue.class);
		JobId id = jobs.enqueue("charge-card", Map.of("card", card),
				EnqueueOptions.builder().queue("payments").maxAttempts(2).build()).jobId();
		await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(id).map(JobInfo::state).orElseThrow(),
				JobState.DEAD::equals);
		return id;
	}

	private static WebElement queueRow(String queue) {
		return browser.findElement(By.cssSelector("#queues tr[data-queue='" + queue + "']"));
	}

	/** @return the ids on the page once it has settled (a page still being replaced answers stale rows) */
	private static List<Long> shownIds() {
		return await().atMost(Duration.ofSeconds(20))
			.ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
			.until(() -> {
				List<Long> first = readIds();
				return first.equals(readIds()) ? first : null;
			}, java.util.Objects::nonNull);
	}

	private static List<Long> readIds() {
		return browser.findElements(By.cssSelector("#jobs tbody tr"))
			.stream()
			.map((row) -> Long.parseLong(row.getDomAttribute("id").substring("job-".length())))
			.toList();
	}

}
