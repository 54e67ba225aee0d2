package io.github.pgqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.retry.Backoff;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries back off exponentially, and every delay is added to the database's clock: the time a
 * failure was recorded and the next {@code run_at} both come from {@code now()}.
 */
class BackoffIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Test
	void delaysGrowPerAttemptAndAreCountedFromTheDatabaseClock() {
		RetrySettings retry = new RetrySettings(5, Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), 0.2);
		Backoff bounds = new Backoff(retry);
		PgQueue worker = PgQueue.builder(db.dataSource())
			.settings(db.settings().retry(retry).pollInterval(Duration.ofMillis(20)).build())
			.handler("flaky", String.class, (payload, ctx) -> {
				throw new IllegalStateException("attempt " + ctx.attempt());
			})
			.build();
		JobId id = worker.jobQueue().enqueue("flaky", "x");
		List<Duration> delays = new ArrayList<>();
		worker.start();
		try {
			for (int attempt = 1; attempt <= 4; attempt++) {
				int failures = attempt;
				// read the job while it waits for its next attempt
				await().atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> worker.jobQueue().find(id).orElseThrow().errors().size() >= failures);
				JobInfo job = worker.jobQueue().find(id).orElseThrow();
				JobError error = job.errors().get(attempt - 1);
				Duration delay = Duration.between(error.at(), job.runAt());
				if (job.state() == JobState.AVAILABLE && job.errors().size() == failures) {
					assertThat(delay).as("delay after attempt %d", attempt)
						.isBetween(bounds.minDelayAfter(attempt), bounds.maxDelayAfter(attempt).plusMillis(1));
					delays.add(delay);
				}
				assertThat(dbNow()).isAfterOrEqualTo(error.at());
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> worker.jobQueue().find(id).orElseThrow().state() == JobState.DEAD);
		}
		finally {
			worker.stop();
		}
		assertThat(delays).hasSizeGreaterThanOrEqualTo(3);
		for (int i = 1; i < delays.size(); i++) {
			assertThat(delays.get(i)).isGreaterThan(delays.get(i - 1));
		}
		JobInfo dead = worker.jobQueue().find(id).orElseThrow();
		assertThat(dead.errors()).hasSize(5);
		for (int i = 1; i < dead.errors().size(); i++) {
			// an attempt never starts before the run_at its predecessor's failure set
			Duration gap = Duration.between(dead.errors().get(i - 1).at(), dead.errors().get(i).at());
			assertThat(gap).isGreaterThanOrEqualTo(bounds.minDelayAfter(i));
		}
	}

	private java.time.Instant dbNow() {
		return db.jdbc().sql("SELECT now()").query(java.time.OffsetDateTime.class).single().toInstant();
	}

}
