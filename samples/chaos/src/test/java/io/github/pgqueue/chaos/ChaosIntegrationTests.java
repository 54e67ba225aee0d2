package io.github.pgqueue.chaos;

import java.time.Duration;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounded chaos run CI does: about two minutes of killed workers, SIGTERMs, cut connections and
 * one PostgreSQL restart; fails on any violated invariant.
 */
class ChaosIntegrationTests {

	@Test
	void everyInvariantHoldsUnderChaos() throws Exception {
		String url = TestDatabase.jdbcUrl().replaceAll("[?&]user=postgres", "");
		ChaosRun.Report report = new ChaosRun(new ChaosRun.Options(url, Duration.ofSeconds(70), 30, true, "target/chaos"))
			.run();
		System.out.println(report.describe());
		assertThat(report.violations()).as(report.describe()).isEmpty();
		assertThat(report.enqueued()).isGreaterThan(1000);
	}

}
