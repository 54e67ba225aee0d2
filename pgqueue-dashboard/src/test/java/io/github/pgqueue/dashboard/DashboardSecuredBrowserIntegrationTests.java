package io.github.pgqueue.dashboard;

import java.time.Duration;

import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard with actions on ({@code read-only: false}) in an application secured by Spring
 * Security, in headless Chromium: the application's security decides who may look (any signed-in
 * user); only a user with {@code pgqueue.dashboard.role} may act, through forms carrying Spring
 * Security's CSRF token; a post without it changes nothing.
 */
class DashboardSecuredBrowserIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	private static ConfigurableApplicationContext app;

	private static Chromium chromium;

	private static WebDriver browser;

	@BeforeAll
	static void start() {
		app = DashboardTestApplication.start(SecuredApplication.class, db, "--pgqueue.dashboard.read-only=false");
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

	@BeforeEach
	void signOut() {
		browser.manage().deleteAllCookies();
	}

	@Test
	void theApplicationsSecurityDecidesWhoMayLook() {
		browser.get(DashboardTestApplication.url(app, "/pgqueue"));
		assertThat(browser.getCurrentUrl()).endsWith("/login");
	}

	@Test
	void aUserWithoutTheRoleSeesTheDashboardButMayNotAct() {
		JobQueue jobs = app.getBean(JobQueue.class);
		JobId id = jobs.enqueue("build-report", Map.of(), EnqueueOptions.builder().queue("reports").build()).jobId();
		signIn("viewer", "viewer-pw");

		browser.get(DashboardTestApplication.url(app, "/pgqueue"));
		assertThat(browser.findElements(By.cssSelector("#queues tr[data-queue='reports']"))).hasSize(1);
		assertThat(browser.findElements(By.cssSelector("#queues button"))).isEmpty();
		browser.get(DashboardTestApplication.url(app, "/pgqueue/jobs/" + id.value()));
		assertThat(browser.findElements(By.id("actions"))).isEmpty();
		browser.get(DashboardTestApplication.url(app, "/pgqueue/confirm?action=cancel&target=" + id.value()));
		assertThat(browser.findElement(By.id("refused")).getText()).contains("PGQUEUE_ADMIN");

		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(jobs.find(id).orElseThrow().cancelRequested()).isFalse());
	}

	@Test
	void aUserWithTheRoleActsThroughCsrfProtectedFormsAndAPostWithoutTokenChangesNothing() {
		JobOperations operations = app.getBean(JobOperations.class);
		signIn("admin", "admin-pw");

		browser.get(DashboardTestApplication.url(app, "/pgqueue"));
		assertThat(post("/pgqueue/actions/pause", "target=reports&confirmed=true")).isEqualTo(403);
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(operations.pausedQueues()).doesNotContain("reports"));

		browser.get(DashboardTestApplication.url(app, "/pgqueue"));
		browser.findElement(By.id("action-pause-reports")).click();
		assertThat(browser.findElement(By.cssSelector("#confirm-form input[name='_csrf']")).getDomAttribute("value"))
			.isNotBlank();
		browser.findElement(By.id("confirm")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(browser.findElement(By.id("flash")).getText()).contains("paused"));
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(operations.pausedQueues()).contains("reports"));

		browser.findElement(By.id("action-resume-reports")).click();
		// the resume posts at once (it destroys nothing): wait for its answer
		await().atMost(Duration.ofSeconds(20)).until(() -> !operations.pausedQueues().contains("reports"));
	}

	private static void signIn(String user, String password) {
		browser.get(DashboardTestApplication.url(app, "/login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.cssSelector("button[type='submit']")).click();
	}

	private static long post(String path, String form) {
		Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				fetch(arguments[0], { method: 'POST', credentials: 'same-origin', redirect: 'manual',
				    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: arguments[1] })
				  .then(function (r) { done(r.status); }, function (e) { done(-1); });
				""", DashboardTestApplication.url(app, path), form);
		return (Long) status;
	}

	/** The test application behind a form login: any signed-in user may look, the admin may act. */
	@Import(DashboardTestApplication.class)
	static class SecuredApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("viewer").password("{noop}viewer-pw").roles("VIEWER").build(),
					User.withUsername("admin").password("{noop}admin-pw").roles("PGQUEUE_ADMIN").build());
		}

	}

}
