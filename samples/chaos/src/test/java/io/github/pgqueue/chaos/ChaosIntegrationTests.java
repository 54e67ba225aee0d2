package io.github.pgqueue.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * The bounded chaos run CI does: about 70 s of killed workers, SIGTERMs, cut connections, outages
 * through the proxy, transactional, hanging and JVM-killing jobs, and one crash of a PostgreSQL of
 * the run's own (never the machine's); fails on any violated check, each named in the failure.
 */
class ChaosIntegrationTests {

	@Test
	void everyInvariantHoldsUnderChaos() throws Exception {
		ChaosRun.Report report = new ChaosRun(new ChaosRun.Options(null, Duration.ofSeconds(70), 30, true, "target/chaos"))
			.run();
		System.out.println(report.describe());
		List<Executable> checks = new ArrayList<>();
		report.checks()
			.forEach((check) -> checks.add(() -> assertThat(check.held()).as(check.name() + ": " + check.failure()).isTrue()));
		checks.add(() -> assertThat(report.enqueued()).isGreaterThan(1000));
		assertAll("chaos run checks", checks);
	}

}
