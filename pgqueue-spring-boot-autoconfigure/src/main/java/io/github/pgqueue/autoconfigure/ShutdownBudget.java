package io.github.pgqueue.autoconfigure;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Fits the worker's drain into Spring's shutdown phase. The worker stops in its lifecycle's phase,
 * and once {@code spring.lifecycle.timeout-per-shutdown-phase} passes Spring goes on and closes the
 * DataSource: a drain as long as the phase would leave no connection for the release of the jobs
 * still running, which would then wait for their leases to expire and lose an attempt each.
 */
final class ShutdownBudget {

	static final String PHASE_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

	/** Spring Boot's default for {@value #PHASE_PROPERTY}. */
	static final Duration DEFAULT_PHASE = Duration.ofSeconds(30);

	/** The least the release and the rest of the stop are given, inside the phase. */
	static final Duration MIN_RELEASE = Duration.ofSeconds(1);

	/** The most the release and the rest of the stop are given, inside the phase. */
	static final Duration MAX_RELEASE = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(ShutdownBudget.class);

	private ShutdownBudget() {
	}

	static Duration shutdownPhase(Environment environment) {
		return Binder.get(environment).bind(PHASE_PROPERTY, Duration.class).orElse(DEFAULT_PHASE);
	}

	/**
	 * @param shutdownTimeout {@code pgqueue.shutdown-timeout}
	 * @param phase {@value #PHASE_PROPERTY}
	 * @return the drain: the shutdown timeout, shortened when it leaves the release less than its share
	 * of the phase (a fifth, between 1 s and 5 s)
	 * @throws IllegalStateException when the phase is too short for any drain and release
	 */
	static Duration drainWithin(Duration shutdownTimeout, Duration phase) {
		Duration release = phase.dividedBy(5);
		release = (release.compareTo(MIN_RELEASE) < 0) ? MIN_RELEASE
				: (release.compareTo(MAX_RELEASE) > 0) ? MAX_RELEASE : release;
		Duration longest = phase.minus(release);
		if (longest.isNegative() || longest.isZero()) {
			throw new IllegalStateException(PHASE_PROPERTY + " (" + phase + ") leaves no time for pgqueue to drain and "
					+ "release its running jobs before the DataSource closes: set it to at least "
					+ MIN_RELEASE.plusSeconds(1) + ", and pgqueue.shutdown-timeout (" + shutdownTimeout + ") below it");
		}
		if (shutdownTimeout.compareTo(longest) <= 0) {
			return shutdownTimeout;
		}
		logger.info("pgqueue drains for {} at shutdown, not pgqueue.shutdown-timeout ({}): {} ({}) must also fit the "
				+ "release of the jobs still running before the DataSource closes", longest, shutdownTimeout,
				PHASE_PROPERTY, phase);
		return longest;
	}

}
