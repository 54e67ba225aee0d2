package io.github.pgqueue.reaper;

import java.time.Duration;

import io.github.pgqueue.JobState;
import io.github.pgqueue.RetentionSettings;
import io.github.pgqueue.store.MaintenanceStore;

/**
 * Deletes finished jobs (completed, cancelled, dead) once they are older than their state's
 * retention, in batches so that no statement holds many row locks for long.
 */
public final class JobPruner {

	private final MaintenanceStore store;

	private final RetentionSettings retention;

	private final int batchSize;

	public JobPruner(MaintenanceStore store, RetentionSettings retention, int batchSize) {
		this.store = store;
		this.retention = retention;
		this.batchSize = batchSize;
	}

	/**
	 * Prunes until nothing past retention is left.
	 * @return the number of jobs deleted
	 */
	public int runOnce() {
		return prune(JobState.COMPLETED, this.retention.completed()) + prune(JobState.CANCELLED, this.retention.cancelled())
				+ prune(JobState.DEAD, this.retention.dead());
	}

	private int prune(JobState state, Duration retention) {
		int total = 0;
		int deleted;
		do {
			deleted = this.store.pruneFinished(state, retention.toMillis(), this.batchSize);
			total += deleted;
		}
		while (deleted == this.batchSize);
		return total;
	}

}
