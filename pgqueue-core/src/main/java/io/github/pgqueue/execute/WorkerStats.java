package io.github.pgqueue.execute;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one worker since it started, for health and logs (metrics go through
 * {@link io.github.pgqueue.JobListener}).
 */
public final class WorkerStats {

	final AtomicLong claimed = new AtomicLong();

	final AtomicLong completed = new AtomicLong();

	final AtomicLong failed = new AtomicLong();

	final AtomicLong rejectedWrites = new AtomicLong();

	final AtomicLong leasesLost = new AtomicLong();

	final AtomicLong released = new AtomicLong();

	final AtomicLong pollFailures = new AtomicLong();

	public long claimed() {
		return this.claimed.get();
	}

	public long completed() {
		return this.completed.get();
	}

	public long failed() {
		return this.failed.get();
	}

	/** @return outcomes (completion or failure) the database rejected because the lease was lost */
	public long rejectedWrites() {
		return this.rejectedWrites.get();
	}

	/** @return leases found lost, by the heartbeat or by a rejected write, each counted once */
	public long leasesLost() {
		return this.leasesLost.get();
	}

	/** @return jobs given back at shutdown */
	public long released() {
		return this.released.get();
	}

	public long pollFailures() {
		return this.pollFailures.get();
	}

	/** Counts a job claimed by the worker. */
	public void countClaimed() {
		this.claimed.incrementAndGet();
	}

	/** Counts jobs given back at shutdown. */
	public void countReleased(int jobs) {
		this.released.addAndGet(jobs);
	}

	/** Counts a lease found lost. */
	public void countLeaseLost() {
		this.leasesLost.incrementAndGet();
	}

	/** Counts a poll that failed. */
	public void countPollFailure() {
		this.pollFailures.incrementAndGet();
	}

	@Override
	public String toString() {
		return "WorkerStats[claimed=" + claimed() + ", completed=" + completed() + ", failed=" + failed()
				+ ", rejectedWrites=" + rejectedWrites() + ", leasesLost=" + leasesLost() + ", released="
				+ released() + "]";
	}

}
