package io.github.pgqueue.retry;

import java.time.Duration;

import io.github.pgqueue.RetrySettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final RetrySettings settings = new RetrySettings(25, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.2);

	@Test
	void growsExponentiallyWithoutJitterAtTheMidpoint() {
		Backoff backoff = new Backoff(this.settings, () -> 0.5);
		assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
	}

	@Test
	void isCappedAtTheMaximum() {
		Backoff backoff = new Backoff(this.settings, () -> 0.999);
		assertThat(backoff.delayAfter(7)).isEqualTo(Duration.ofMinutes(1));
		assertThat(backoff.delayAfter(1000)).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void jitterSpreadsWithinItsBounds() {
		Backoff low = new Backoff(this.settings, () -> 0.0);
		Backoff high = new Backoff(this.settings, () -> 1.0);
		assertThat(low.delayAfter(3)).isEqualTo(Duration.ofMillis(3200));
		assertThat(high.delayAfter(3)).isEqualTo(Duration.ofMillis(4800));
		Backoff random = new Backoff(this.settings);
		for (int i = 0; i < 1000; i++) {
			assertThat(random.delayAfter(3)).isBetween(random.minDelayAfter(3), random.maxDelayAfter(3));
		}
	}

}
