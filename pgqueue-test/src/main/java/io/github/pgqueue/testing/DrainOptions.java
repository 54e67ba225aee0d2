package io.github.pgqueue.testing;

import java.util.List;
import java.util.Objects;

/**
 * How {@link PgQueueTest#drain(DrainOptions)} drains: which queues, whether jobs scheduled for later
 * are brought forward, whether a handler's failure is thrown to the test, and how many jobs at most.
 * Immutable; each method returns a new value.
 *
 * @param queues the queues to drain, empty for all
 * @param bringScheduledForward whether jobs scheduled for later (including retries backing off) are made due at
 * every round, so that they run too
 * @param throwFailures whether the first failing handler stops the drain with a {@link JobFailureException}
 * (the default), rather than being recorded and the drain going on
 * @param maxJobs the most jobs one drain runs before it fails, so that a job enqueueing itself cannot loop forever
 */
public record DrainOptions(List<String> queues, boolean bringScheduledForward, boolean throwFailures, int maxJobs) {

	public DrainOptions {
		queues = List.copyOf(queues);
		if (maxJobs < 1) {
			throw new IllegalArgumentException("maxJobs must be at least 1, was " + maxJobs);
		}
	}

	/** @return every queue, only due jobs, failures thrown, at most 1,000 jobs */
	public static DrainOptions defaults() {
		return new DrainOptions(List.of(), false, true, 1000);
	}

	/** @return these options, also running jobs scheduled for later (and retries backing off) */
	public DrainOptions bringingScheduledForward() {
		return new DrainOptions(this.queues, true, this.throwFailures, this.maxJobs);
	}

	/** @return these options, draining only the given queues */
	public DrainOptions onlyQueues(String... queues) {
		for (String queue : queues) {
			Objects.requireNonNull(queue, "queue");
		}
		return new DrainOptions(List.of(queues), this.bringScheduledForward, this.throwFailures, this.maxJobs);
	}

	/** @return these options, recording failures in the {@link DrainResult} instead of throwing them */
	public DrainOptions collectingFailures() {
		return new DrainOptions(this.queues, this.bringScheduledForward, false, this.maxJobs);
	}

	/** @return these options, running at most {@code maxJobs} jobs */
	public DrainOptions maxJobs(int maxJobs) {
		return new DrainOptions(this.queues, this.bringScheduledForward, this.throwFailures, maxJobs);
	}

}
