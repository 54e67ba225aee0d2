package io.github.pgqueue.reaper;

import java.util.Map;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.store.MaintenanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims running jobs whose lease expired (their worker died, hung or lost the database), in
 * batches: each becomes available again at once, or dead when that was its last attempt. A reclaim
 * counts as a failed attempt and is recorded in the job's errors.
 */
public final class JobRescuer {

	private static final Logger logger = LoggerFactory.getLogger(JobRescuer.class);

	private final MaintenanceStore store;

	private final int batchSize;

	private final JobListener listener;

	public JobRescuer(MaintenanceStore store, int batchSize, JobListener listener) {
		this.store = store;
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
			batch = this.store.rescueExpired(this.batchSize);
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
	 * @param rescued jobs reclaimed
	 * @param finished of those, jobs that went dead or cancelled instead of available
	 */
	public record Result(int rescued, int finished) {
	}

}
