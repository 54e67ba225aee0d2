package io.github.pgqueue.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.test.TestDatabase;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A web application with pgqueue and the dashboard, for the browser tests: handlers that complete
 * ({@code ping}) and that record a step then fail ({@code charge-card}) on the queue {@code payments};
 * the queues {@code reports} and {@code exports} hold kinds nothing handles, so their jobs wait.
 */
// no component scan: the dashboard's own classes share this package and come only from its auto-configuration
@SpringBootConfiguration
@EnableAutoConfiguration
public class DashboardTestApplication {

	/** Spring Security's auto-configurations, left out where a test wants an application without it. */
	static final String WITHOUT_SECURITY = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	@Bean
	TestJobs testJobs() {
		return new TestJobs();
	}

	static ConfigurableApplicationContext start(Class<?> application, TestDatabase db, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--spring.datasource.url=" + TestDatabase.jdbcUrl(), "--spring.datasource.username=postgres",
				"--pgqueue.schema=" + db.schema(), "--pgqueue.queues.payments.concurrency=2",
				"--pgqueue.queues.reports.concurrency=1", "--pgqueue.queues.exports.concurrency=1",
				"--pgqueue.retry.initial-backoff=100ms", "--pgqueue.retry.jitter=0", "--pgqueue.poll-interval=200ms",
				"--pgqueue.dashboard.refresh-interval=1s", "--pgqueue.dashboard.page-size=2",
				// a periodic job of a kind nothing handles, ticking at 03:00 UTC
				"--pgqueue.periodic.nightly-cleanup.cron=0 0 3 * * *", "--pgqueue.periodic.nightly-cleanup.kind=cleanup",
				"--pgqueue.periodic.nightly-cleanup.queue=reports"));
		for (String arg : extra) {
			// a property given again replaces the default above (Spring would join the two values)
			String key = arg.contains("=") ? arg.substring(0, arg.indexOf('=') + 1) : arg;
			args.removeIf((existing) -> existing.startsWith(key));
			args.add(arg);
		}
		return new SpringApplication(application).run(args.toArray(String[]::new));
	}

	static String url(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return "http://127.0.0.1:" + port + path;
	}

	/** Handlers of the test application. */
	public static class TestJobs {

		@JobHandler("ping")
		void ping(Map<String, Object> payload) {
		}

		// the periodic nightly-cleanup's kind: a periodic job needs a handler on a node that schedules it
		@JobHandler("cleanup")
		void cleanup(Map<String, Object> payload) {
		}

		@JobHandler("charge-card")
		void charge(Map<String, Object> payload, JobContext context) {
			context.runOnce("reserve-funds", () -> {
			});
			throw new IllegalStateException("card declined for " + payload.get("card"));
		}

	}

}
