package io.github.pgqueue.reaper;

import io.github.pgqueue.retry.RetryPolicy;
import io.github.pgqueue.store.ExpiredJob;
import io.github.pgqueue.store.Rescue;

import java.util.Map;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.store.MaintenanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims running jobs whose lease expired (their worker died, hung or lost the database), in
 * batches, as {@link #decide the retry policy} says: a job whose handler ran counts a failed attempt
 * (recorded in its errors) and backs off, or goes dead when that was its last; one whose handler
 * never started is available again at once with its attempt.
 */
public final class JobRescuer {

	private static final Logger logger = LoggerFactory.getLogger(JobRescuer.class);

	private final MaintenanceStore store;

	private final int batchSize;

	private final JobListener listener;

	private final RetryPolicy retry;

	public JobRescuer(MaintenanceStore store, RetryPolicy retry, int batchSize, JobListener listener) {
		this.store = store;
		this.retry = retry;
		this.batchSize = batchSize;
		this.listener = listener;
	}

	/**
	 * Rescues expired leases until none is left.
	 * @return how many jobs were rescued, and how many of them went dead
	 */
	public Result runOnce() {
		int rescued = 0;
		int dead = 0;
		Map<Long, JobState> batch;
		do {
			batch = this.store.rescueExpired(this.batchSize, this::decide);
			rescued += batch.size();
			dead += (int) batch.values().stream().filter((state) -> state != JobState.AVAILABLE).count();
		}
		while (batch.size() == this.batchSize);
		if (rescued > 0) {
			logger.info("Rescued {} job(s) whose lease expired; {} of them had no attempt left", rescued, dead);
			this.listener.onRescued(rescued);
		}
		return new Result(rescued, dead);
	}

	/**
	 * A job whose handler never started under the expired lease (claimed ahead, or a claim whose reply
	 * never arrived) keeps its attempt and its place in line; one whose handler ran counts the attempt
	 * and backs off like any failure, so that a job that kills its worker is not retried at once by
	 * node after node.
	 */
	private Rescue decide(ExpiredJob job) {
		if (job.cancelRequested()) {
			return new Rescue(JobState.CANCELLED, -1);
		}
		if (!job.started()) {
			return Rescue.keepPlace();
		}
		RetryPolicy.Decision decision = this.retry.afterLostRun(job.attempt(), job.maxAttempts());
		return new Rescue(decision.next(), decision.delay().toMillis());
	}

	/**
	 * @param rescued jobs reclaimed
	 * @param finished of those, jobs that went dead or cancelled instead of available
	 */
	public record Result(int rescued, int finished) {
	}

}
