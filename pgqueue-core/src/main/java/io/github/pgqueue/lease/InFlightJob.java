package io.github.pgqueue.lease;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.Lease;
import org.jspecify.annotations.Nullable;

/**
 * A job this worker holds a lease on, from claim until its outcome is written or it is released.
 */
public final class InFlightJob {

	private final ClaimedJob job;

	private final AtomicBoolean lost = new AtomicBoolean();

	private volatile boolean cancelRequested;

	private volatile boolean finishing;

	private volatile boolean released;

	private @Nullable Thread runningOn;

	public InFlightJob(ClaimedJob job) {
		this.job = job;
	}

	public ClaimedJob job() {
		return this.job;
	}

	public Lease lease() {
		return this.job.lease();
	}

	/** @return whether this worker learned the lease is no longer its own */
	public boolean isLost() {
		return this.lost.get();
	}

	/**
	 * Marks the lease lost.
	 * @return {@code true} the first time only, so a loss is counted once
	 */
	public boolean markLost() {
		return this.lost.compareAndSet(false, true);
	}

	public boolean isCancelRequested() {
		return this.cancelRequested;
	}

	void requestCancel() {
		this.cancelRequested = true;
	}

	/**
	 * Marks that the outcome is being written: from here the heartbeat no longer renews the lease,
	 * and a lease it finds gone is not a loss but the write's own doing.
	 */
	public void markFinishing() {
		this.finishing = true;
	}

	boolean isFinishing() {
		return this.finishing;
	}

	/** Records that the handler runs now, on the current thread. */
	public synchronized void startedRunning() {
		this.runningOn = Thread.currentThread();
	}

	/** Records that the handler returned: from here an interrupt would hit another job. */
	public synchronized void stoppedRunning() {
		this.runningOn = null;
	}

	/**
	 * Interrupts the handler if it still runs.
	 * @return whether it was interrupted
	 */
	public synchronized boolean interruptIfRunning() {
		Thread thread = this.runningOn;
		if (thread == null) {
			return false;
		}
		thread.interrupt();
		return true;
	}

	/** Marks the job given back at shutdown: its outcome is no longer this worker's to write. */
	public void markReleased() {
		this.released = true;
	}

	public boolean isReleased() {
		return this.released;
	}

	/** @return whether the outcome is being written or the lease is known lost: nothing to release */
	public boolean isFinishingOrLost() {
		return this.finishing || isLost();
	}

}
