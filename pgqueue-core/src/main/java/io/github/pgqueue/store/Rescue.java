package io.github.pgqueue.store;

import io.github.pgqueue.JobState;

/**
 * What the reaper decided for one expired job.
 *
 * @param next {@code AVAILABLE}, {@code DEAD} or {@code CANCELLED}
 * @param delayMillis for {@code AVAILABLE}: how long after {@code now()} it runs again, or
 * {@code -1} to keep its {@code run_at} (its handler never started: it takes its old place in line)
 */
public record Rescue(JobState next, long delayMillis) {

	public static Rescue keepPlace() {
		return new Rescue(JobState.AVAILABLE, -1);
	}

}
