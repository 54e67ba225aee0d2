package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database read that does not answer is waited on no longer than the timeout, joined rather than
 * repeated while it is in flight, and never piles up past a few threads.
 */
class DatabaseProbeTests {

	@Test
	void answersWithTheReadsValue() {
		try (DatabaseProbe<String> probe = new DatabaseProbe<>(() -> "ok", Duration.ofSeconds(5))) {
			assertThat(probe.read()).isEqualTo(DatabaseProbe.Outcome.answered("ok"));
		}
	}

	@Test
	void namesTheFailureOfARead() {
		try (DatabaseProbe<String> probe = new DatabaseProbe<>(() -> {
			throw new IllegalStateException("connection refused");
		}, Duration.ofSeconds(5))) {
			assertThat(probe.read().failure()).isEqualTo("IllegalStateException: connection refused");
		}
	}

	@Test
	void givesUpAfterItsTimeoutAndJoinsTheReadStillInFlight() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger reads = new AtomicInteger();
		try (DatabaseProbe<String> probe = new DatabaseProbe<>(() -> {
			reads.incrementAndGet();
			block(release);
			return "late";
		}, Duration.ofMillis(50))) {
			for (int i = 0; i < 5; i++) {
				assertThat(probe.read().failure()).startsWith("no answer within PT0.05S");
			}
			assertThat(reads).as("one read in flight, joined by every check").hasValue(1);
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> "late".equals(probe.read().value()));
			await().atMost(Duration.ofSeconds(10)).until(() -> probe.read().value() != null);
			assertThat(reads.get()).as("a finished read is not reused: the next check reads again").isGreaterThan(1);
		}
	}

	@Test
	void abandonsAReadThatNeverEndsButKeepsNoMoreThanAFewWaiting() {
		CountDownLatch never = new CountDownLatch(1);
		AtomicInteger reads = new AtomicInteger();
		try (DatabaseProbe<String> probe = new DatabaseProbe<>(() -> {
			reads.incrementAndGet();
			block(never);
			return "never";
		}, Duration.ofMillis(1), Duration.ofMillis(100))) {
			assertThat(probe.read().value()).isNull();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> probe.read().failure().contains("reads are still waiting"));
			assertThat(reads).hasValue(DatabaseProbe.MAX_IN_FLIGHT);
		}
	}

	private static void block(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
