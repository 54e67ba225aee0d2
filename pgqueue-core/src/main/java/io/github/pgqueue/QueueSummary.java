package io.github.pgqueue;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One queue as an operator sees it, read through the indexes and never counted past a cap, so that
 * reading it costs the same however many finished jobs the table keeps.
 *
 * @param queue the queue's name
 * @param waiting available jobs whose {@code run_at} has come, counted up to the cap
 * @param scheduled available jobs whose {@code run_at} is still ahead, counted up to the cap
 * @param running running jobs, counted up to the cap
 * @param dead dead jobs of this queue among the most recently dead {@code cap} (all of them unless
 * {@code deadCapped})
 * @param deadCapped whether more dead jobs exist than were looked at, so {@code dead} is a lower bound
 * @param oldestWaiting how long its longest-waiting runnable job has waited, or {@code null} when none
 * waits
 * @param paused whether the queue is paused for every node
 * @param cap the most any count counts: a count equal to it means at least that many
 */
public record QueueSummary(String queue, long waiting, long scheduled, long running, long dead, boolean deadCapped,
		@Nullable Duration oldestWaiting, boolean paused, int cap) {

	/** @return whether a count stopped at the cap and means "at least" */
	public boolean capped(long count) {
		return count >= this.cap;
	}

}
