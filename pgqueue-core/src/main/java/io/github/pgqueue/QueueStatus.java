package io.github.pgqueue;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One queue as {@link JobOperations#queues()} counted it: its jobs by state, exactly, at one moment.
 *
 * @param queue the queue's name
 * @param waiting available jobs whose {@code run_at} has come: they wait for a worker
 * @param scheduled available jobs whose {@code run_at} is still ahead
 * @param running jobs held under a lease
 * @param completed completed jobs the pruner has not yet deleted
 * @param dead dead jobs (the dead letter)
 * @param cancelled cancelled jobs the pruner has not yet deleted
 * @param oldestWaiting how long the longest-waiting runnable job has waited, by the database clock;
 * {@code null} when none waits
 * @param paused whether the queue is paused for every node
 */
public record QueueStatus(String queue, long waiting, long scheduled, long running, long completed, long dead,
		long cancelled, @Nullable Duration oldestWaiting, boolean paused) {

	/** @return how long the longest-waiting runnable job has waited, if one waits */
	public Optional<Duration> oldestWaitingAge() {
		return Optional.ofNullable(this.oldestWaiting);
	}

}
