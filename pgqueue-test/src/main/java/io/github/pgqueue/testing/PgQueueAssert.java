package io.github.pgqueue.testing;

import java.util.List;

import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobKinds;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a test enqueued, read from the job table each time. "Enqueued" means waiting to
 * run: in state {@code available}, due now or scheduled later. {@link #hasJob(String)} looks at every
 * state, for jobs that ran.
 */
public final class PgQueueAssert extends AbstractAssert<PgQueueAssert, PgQueueTest> {

	PgQueueAssert(PgQueueTest actual) {
		super(actual, PgQueueAssert.class);
	}

	/**
	 * Verifies that at least one job of the kind waits to run.
	 * @return assertions narrowing those jobs (payload, queue, priority, run at, idempotency key)
	 */
	public EnqueuedJobsAssert hasEnqueued(String kind) {
		return EnqueuedJobsAssert.ofKind(this.actual, this.actual.enqueuedJobs(), kind, null, EnqueuedJobsAssert.ENQUEUED);
	}

	/** As {@link #hasEnqueued(String)} for the kind a payload type names with {@code @Job}. */
	public EnqueuedJobsAssert hasEnqueued(Class<?> jobType) {
		return hasEnqueued(kindOf(jobType));
	}

	/**
	 * Verifies that exactly {@code count} jobs of the kind wait to run.
	 * @return assertions narrowing them, each narrowing requiring that all {@code count} still match
	 */
	public EnqueuedJobsAssert hasEnqueued(int count, String kind) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative, was " + count);
		}
		return EnqueuedJobsAssert.ofKind(this.actual, this.actual.enqueuedJobs(), kind, count,
				EnqueuedJobsAssert.ENQUEUED);
	}

	/** As {@link #hasEnqueued(int, String)} for the kind a payload type names with {@code @Job}. */
	public EnqueuedJobsAssert hasEnqueued(int count, Class<?> jobType) {
		return hasEnqueued(count, kindOf(jobType));
	}

	/** Verifies that no job of the kind waits to run. */
	public PgQueueAssert hasNotEnqueued(String kind) {
		List<JobInfo> found = this.actual.enqueuedJobs().stream().filter((job) -> job.kind().equals(kind)).toList();
		if (!found.isEmpty()) {
			failWithMessage("Expected no job of kind '%s' enqueued, but found %d:%n%s", kind, found.size(),
					EnqueuedJobsAssert.describe(found));
		}
		return this;
	}

	/** As {@link #hasNotEnqueued(String)} for the kind a payload type names with {@code @Job}. */
	public PgQueueAssert hasNotEnqueued(Class<?> jobType) {
		return hasNotEnqueued(kindOf(jobType));
	}

	/** Verifies that no job at all waits to run. */
	public PgQueueAssert hasEnqueuedNothing() {
		List<JobInfo> found = this.actual.enqueuedJobs();
		if (!found.isEmpty()) {
			failWithMessage("Expected no job enqueued, but found %d:%n%s", found.size(),
					EnqueuedJobsAssert.describe(found));
		}
		return this;
	}

	/**
	 * Verifies that at least one job of the kind is in the table, in any state (one that ran included).
	 * @return assertions narrowing those jobs, {@link EnqueuedJobsAssert#inState} among them
	 */
	public EnqueuedJobsAssert hasJob(String kind) {
		return EnqueuedJobsAssert.ofKind(this.actual, this.actual.jobs(), kind, null, EnqueuedJobsAssert.IN_TABLE);
	}

	/** As {@link #hasJob(String)} for the kind a payload type names with {@code @Job}. */
	public EnqueuedJobsAssert hasJob(Class<?> jobType) {
		return hasJob(kindOf(jobType));
	}

	private static String kindOf(Class<?> jobType) {
		return JobKinds.kindOf(jobType).orElseThrow(() -> new IllegalArgumentException(
				"payload type " + jobType.getName() + " has no @Job annotation: pass the kind explicitly"));
	}

}
