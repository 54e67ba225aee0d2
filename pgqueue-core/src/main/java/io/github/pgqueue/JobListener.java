package io.github.pgqueue;

import java.time.Duration;

/**
 * Hears what happens to jobs, for metrics and logs. Called on the thread that did it; must be quick
 * and must not throw. Every method does nothing by default.
 */
public interface JobListener {

	/** A job was written by enqueue (not called for a duplicate). */
	default void onEnqueued(String queue, String kind) {
	}

	/**
	 * A worker claimed a job and is about to run it.
	 * @param wait how long it waited to start after it became runnable ({@code claimed - run_at})
	 */
	default void onStarted(String queue, String kind, Duration wait) {
	}

	/** A handler returned and the completion was recorded. */
	default void onCompleted(String queue, String kind, Duration execution) {
	}

	/**
	 * A handler failed and the failure was recorded.
	 * @param outcome the job's new state: {@code AVAILABLE} for a retry, {@code DEAD} or {@code CANCELLED}
	 */
	default void onFailed(String queue, String kind, JobState outcome, Duration execution) {
	}

	/** A worker learned it no longer holds a job's lease; called once per lost lease. */
	default void onLeaseLost(String queue, String kind) {
	}

	/** The reaper reclaimed jobs whose lease had expired. */
	default void onRescued(int count) {
	}

	/** A claim query succeeded (even if it found nothing). */
	default void onPollSucceeded() {
	}

	/** A claim query failed, typically because the database is unreachable. */
	default void onPollFailed(Exception ex) {
	}

}
