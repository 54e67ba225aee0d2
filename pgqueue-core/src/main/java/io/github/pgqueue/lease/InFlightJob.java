package io.github.pgqueue.lease;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.Lease;
import org.jspecify.annotations.Nullable;

/**
 * A job this worker holds a lease on, from its claim until it is settled: its outcome written (or
 * rejected), or the job released, lost or cancelled. It is in exactly one {@link State} at a time,
 * and every move between states is a compare-and-set, so that a check and the move it allows can
 * never be split by another thread (a release cannot slip between a slot's permit and the start of
 * the handler, nor a timeout between the handler's return and its outcome).
 * <pre>
 * CLAIMED ──start──► STARTING ──run──► RUNNING ──finish──► FINISHING ──► settled
 *    │                  │                 │ └─abandon (timed out, ignores the interrupt)─► ABANDONED
 *    └─────────────────┴─────────────────┴──release / lose──► RELEASED / LOST
 *                       └─ cancelled or paused meanwhile ──► CANCELLED / RELEASED
 * </pre>
 */
public final class InFlightJob {

	/** Where a job in flight is. */
	public enum State {

		/** Claimed, waiting for a free slot (claimed ahead) or just dispatched. */
		CLAIMED,

		/** Took a slot; its start is being written. */
		STARTING,

		/** Its handler runs. */
		RUNNING,

		/** Its handler returned; its outcome is being written (retried while the lease lasts). */
		FINISHING,

		/** Given back (at shutdown, or its queue paused): its outcome is no longer this worker's. */
		RELEASED,

		/** Its lease is gone (expired, rescued, perhaps claimed elsewhere). */
		LOST,

		/** Cancelled before its handler started. */
		CANCELLED,

		/** Timed out and ignored the interrupt past the grace period: failed without it, lease let go. */
		ABANDONED;

		/** @return whether the heartbeat still renews the lease of a job in this state */
		public boolean isLeased() {
			return this == CLAIMED || this == STARTING || this == RUNNING || this == FINISHING;
		}

	}

	private final ClaimedJob job;

	private final AtomicReference<State> state = new AtomicReference<>(State.CLAIMED);

	private final AtomicBoolean settled = new AtomicBoolean();

	// for its queue's slot accounting: 0 until its handler is done, 1 once done (its outcome being
	// written), 2 once settled
	private final java.util.concurrent.atomic.AtomicInteger slotPhase = new java.util.concurrent.atomic.AtomicInteger();

	private final Runnable onSettled;

	private volatile int attempt;

	private volatile boolean cancelRequested;

	private volatile boolean timedOut;

	private volatile long leaseDeadlineNanos;

	private volatile long executionNanos = -1;

	private @Nullable Thread runningOn;

	/**
	 * @param job the claimed job
	 * @param leaseDeadlineNanos when, by {@link System#nanoTime()}, the lease may expire at the
	 * earliest
	 * @param onSettled run once, when the job is {@link #settle() settled}: frees its slot
	 */
	public InFlightJob(ClaimedJob job, long leaseDeadlineNanos, Runnable onSettled) {
		this.job = job;
		this.attempt = job.attempt() + 1;
		this.leaseDeadlineNanos = leaseDeadlineNanos;
		this.onSettled = onSettled;
	}

	public ClaimedJob job() {
		return this.job;
	}

	public Lease lease() {
		return this.job.lease();
	}

	public State state() {
		return this.state.get();
	}

	/** @return the attempt that runs (or would run): counted by the database at its start */
	public int attempt() {
		return this.attempt;
	}

	/** CLAIMED → STARTING, once the job holds a slot. @return whether it may start */
	public boolean start() {
		return this.state.compareAndSet(State.CLAIMED, State.STARTING);
	}

	/**
	 * STARTING → RUNNING, once its start is written, on the thread that runs the handler.
	 * @param attempt the attempt the database counted
	 * @return whether the handler may run
	 */
	public synchronized boolean run(int attempt) {
		this.attempt = attempt;
		if (!this.state.compareAndSet(State.STARTING, State.RUNNING)) {
			return false;
		}
		this.runningOn = Thread.currentThread();
		return true;
	}

	/** RUNNING → FINISHING, when the handler returned. @return whether its outcome is still this worker's to write */
	public synchronized boolean finish() {
		this.runningOn = null;
		return this.state.compareAndSet(State.RUNNING, State.FINISHING);
	}

	/** STARTING → the state its start found instead of running (cancelled, released, lost). */
	public boolean notStarted(State instead) {
		return this.state.compareAndSet(State.STARTING, instead);
	}

	/** Gives the job back: from any leased state but FINISHING. @return whether it was released now */
	public boolean release() {
		return moveFrom(State.RELEASED, State.CLAIMED, State.STARTING, State.RUNNING);
	}

	/** The lease is known gone. @return {@code true} the first time only, so a loss is counted once */
	public boolean lose() {
		return moveFrom(State.LOST, State.CLAIMED, State.STARTING, State.RUNNING, State.FINISHING);
	}

	/** RUNNING → ABANDONED: timed out and still running after the grace period. */
	public synchronized boolean abandon() {
		if (!this.state.compareAndSet(State.RUNNING, State.ABANDONED)) {
			return false;
		}
		this.runningOn = null;
		return true;
	}

	private boolean moveFrom(State to, State... from) {
		while (true) {
			State current = this.state.get();
			boolean allowed = false;
			for (State candidate : from) {
				allowed |= candidate == current;
			}
			if (!allowed) {
				return false;
			}
			if (this.state.compareAndSet(current, to)) {
				return true;
			}
		}
	}

	/**
	 * Its handler is done with its execution permit (returned, or abandoned past its timeout), and
	 * what remains is to write its outcome.
	 * @return whether this is the first time, before the job settled
	 */
	public boolean handlerDone() {
		return this.slotPhase.compareAndSet(0, 1);
	}

	/**
	 * Marks the job settled for its queue's slot accounting; called once, by what {@link #settle()} runs.
	 * @return whether its handler was {@link #handlerDone() done} before
	 */
	public boolean settledAfterHandler() {
		return this.slotPhase.getAndSet(2) == 1;
	}

	/** Ends this job's time on the worker, once: frees its slot. */
	public void settle() {
		if (this.settled.compareAndSet(false, true)) {
			this.onSettled.run();
		}
	}

	public boolean isSettled() {
		return this.settled.get();
	}

	public boolean isCancelRequested() {
		return this.cancelRequested;
	}

	void requestCancel() {
		this.cancelRequested = true;
	}

	/** Marks that the job timed out: its failure says so, whatever the handler threw. */
	public void markTimedOut() {
		this.timedOut = true;
	}

	public boolean isTimedOut() {
		return this.timedOut;
	}

	/** Records how long the handler ran, for the slot's average. */
	public void ran(long executionNanos) {
		this.executionNanos = executionNanos;
	}

	/** @return how long the handler ran, or -1 if it never ran to its end */
	public long executionNanos() {
		return this.executionNanos;
	}

	/** @return whether the lease may still be valid, by this worker's last successful renewal */
	public boolean mayStillBeLeased() {
		return System.nanoTime() - this.leaseDeadlineNanos < 0;
	}

	void renewedUntil(long leaseDeadlineNanos) {
		this.leaseDeadlineNanos = leaseDeadlineNanos;
	}

	/**
	 * Interrupts the handler if it still runs in this state.
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

	@Override
	public String toString() {
		return "job " + this.job.id() + " (kind " + this.job.kind() + ", attempt " + this.attempt + ", " + this.state.get()
				+ ")";
	}

}
