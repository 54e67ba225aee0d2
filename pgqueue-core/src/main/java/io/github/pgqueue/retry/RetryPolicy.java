package io.github.pgqueue.retry;

import java.time.Duration;

import io.github.pgqueue.JobState;
import io.github.pgqueue.PermanentJobFailureException;
import io.github.pgqueue.RetryJobException;
import io.github.pgqueue.RetrySettings;
import io.github.pgqueue.SideEffectInDoubtException;

/**
 * The one place that decides what a failed attempt becomes: available again after a delay, or dead.
 * The worker asks it when a handler fails, and the reaper when a worker died while its handler ran;
 * the SQL only writes the decision. A cancel requested meanwhile is not a retry decision: the store
 * turns any outcome of a cancelled job into {@code cancelled}.
 */
public final class RetryPolicy {

	private final Backoff backoff;

	public RetryPolicy(RetrySettings settings) {
		this(new Backoff(settings));
	}

	RetryPolicy(Backoff backoff) {
		this.backoff = backoff;
	}

	/**
	 * @param attempt the attempt that failed, from 1
	 * @param maxAttempts the job's attempts
	 * @param error what the handler threw: {@link PermanentJobFailureException} and
	 * {@link SideEffectInDoubtException} go dead at once, {@link RetryJobException} retries after its
	 * delay, anything else after the backoff
	 * @return what the job becomes
	 */
	public Decision afterFailure(int attempt, int maxAttempts, Throwable error) {
		if (error instanceof PermanentJobFailureException || error instanceof SideEffectInDoubtException) {
			return Decision.dead();
		}
		if (attempt >= maxAttempts) {
			return Decision.dead();
		}
		if (error instanceof RetryJobException retry) {
			return Decision.retryAfter(retry.getDelay());
		}
		return Decision.retryAfter(this.backoff.delayAfter(attempt));
	}

	/**
	 * A worker died (or stopped renewing its lease) while the handler ran: the attempt counts, and
	 * backs off like any failure, so that a job that kills its worker is not retried at once by node
	 * after node.
	 * @param attempt the attempt that was running, from 1
	 * @param maxAttempts the job's attempts
	 * @return what the job becomes
	 */
	public Decision afterLostRun(int attempt, int maxAttempts) {
		return (attempt >= maxAttempts) ? Decision.dead() : Decision.retryAfter(this.backoff.delayAfter(attempt));
	}

	/**
	 * A decision on a failed attempt.
	 *
	 * @param next {@code AVAILABLE} or {@code DEAD}
	 * @param delay for {@code AVAILABLE}, how long after the database's {@code now()} to run again
	 */
	public record Decision(JobState next, Duration delay) {

		static Decision dead() {
			return new Decision(JobState.DEAD, Duration.ZERO);
		}

		static Decision retryAfter(Duration delay) {
			return new Decision(JobState.AVAILABLE, delay.isNegative() ? Duration.ZERO : delay);
		}

	}

}
