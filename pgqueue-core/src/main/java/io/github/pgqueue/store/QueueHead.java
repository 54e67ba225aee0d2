package io.github.pgqueue.store;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One queue as the claim and lease indexes show it, read without counting past a cap: what a
 * health probe or a gauge refresh costs stays the same however many finished jobs the table keeps.
 *
 * @param queue the queue
 * @param oldestWaiting how long its longest-waiting runnable job has waited, or {@code null} when none
 * waits
 * @param available its available jobs (scheduled ones included), counted up to the cap
 * @param running its running jobs, counted up to the cap
 * @param cap the most that {@code available} and {@code running} count: either being equal to it
 * means at least that many
 */
public record QueueHead(String queue, @Nullable Duration oldestWaiting, long available, long running, int cap) {

	/** @return whether {@code available} stopped at the cap */
	public boolean availableCapped() {
		return this.available >= this.cap;
	}

}
