package io.github.pgqueue.claim;

import io.github.pgqueue.lease.InFlightJob;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One queue's slots on this worker. At most {@code concurrency} of its jobs run at once. While its
 * jobs prove short (an average execution under {@value #PREFETCH_BELOW_MILLIS} ms), the worker also
 * holds up to {@code 32 × concurrency} (at most {@value #MAX_PREFETCH}) more claimed jobs, under lease,
 * ready to start, and claims again once half of those have started, so that claims are few and large
 * and a claim's round trip never leaves a handler idle; with longer jobs it claims only what it can
 * start, leaving the rest to other nodes.
 * <p>
 * Only the poller takes slots; handlers give them back, so a count read by the poller can only grow
 * until it takes some.
 */
public final class QueueSlots {

	/** Jobs shorter than this on average make prefetching pay. */
	static final long PREFETCH_BELOW_MILLIS = 20;

	private final String queue;

	private final int concurrency;

	private final AtomicInteger taken = new AtomicInteger();

	// taken jobs whose handler is done, their outcome being written
	private final AtomicInteger finishing = new AtomicInteger();

	private final Semaphore running;

	private final java.util.Queue<InFlightJob> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private volatile double averageMillis = Double.MAX_VALUE;

	private volatile boolean mayHaveMore;

	private final boolean paused;

	public QueueSlots(String queue, int concurrency, boolean paused) {
		this.queue = queue;
		this.concurrency = concurrency;
		this.running = new Semaphore(concurrency);
		this.paused = paused;
	}

	public String queue() {
		return this.queue;
	}

	public int concurrency() {
		return this.concurrency;
	}

	/** The most jobs held ahead of execution, however short the jobs. */
	static final int MAX_PREFETCH = 1000;

	private int prefetch() {
		// enough claimed ahead that one claim's round trip never leaves a handler idle
		return (this.averageMillis < PREFETCH_BELOW_MILLIS) ? Math.min(MAX_PREFETCH, 32 * this.concurrency) : 0;
	}

	private int claimThreshold() {
		return Math.max(1, prefetch() / 2);
	}

	/**
	 * @return how many more jobs the poller may claim now: the jobs whose handler is done, their
	 * outcome still being written, do not count against the room claimed ahead (a completion batch
	 * in flight would otherwise hold back the next claim while the jobs ahead run out), only against
	 * a second such room, so that the leases held stay bounded when outcomes are slow to write
	 */
	public int free() {
		int prefetch = prefetch();
		int held = this.taken.get();
		int ahead = held - this.finishing.get();
		return Math.max(0, Math.min(this.concurrency + prefetch - ahead, this.concurrency + 2 * prefetch - held));
	}

	void take(int count) {
		this.taken.addAndGet(count);
	}

	/** Puts a claimed job in line for an execution permit. */
	public void offer(InFlightJob job) {
		this.waiting.add(job);
	}

	/**
	 * Takes the next job in line together with an execution permit, if both are there: a job is
	 * handed to an executor only once it holds a permit, so no task ever waits for one (a thread per
	 * task, as virtual threads give, would otherwise pass every check and park until after a release).
	 * @return the job, now holding a permit that {@link #freePermit()} gives back
	 */
	public @Nullable InFlightJob pollWithPermit() {
		while (this.running.tryAcquire()) {
			InFlightJob job = this.waiting.poll();
			if (job != null) {
				return job;
			}
			this.running.release();
			if (this.waiting.isEmpty()) {
				return null;
			}
		}
		return null;
	}

	/** @return the jobs in line, taken out of it (at shutdown, to release them) */
	public java.util.List<InFlightJob> drainWaiting() {
		java.util.List<InFlightJob> drained = new java.util.ArrayList<>();
		InFlightJob job;
		while ((job = this.waiting.poll()) != null) {
			drained.add(job);
		}
		return drained;
	}

	/** Gives back an execution permit: the handler returned, or never started. */
	public void freePermit() {
		this.running.release();
	}

	/**
	 * Gives back the slot of a job that ran for the given time, once its outcome is written.
	 * @param handlerWasDone whether its handler was counted {@link #handlerDone() done} before
	 * @return whether the poller should claim now: the last claim filled every slot it asked for, so
	 * more jobs are likely waiting, and enough slots are free to make a claim worth its round trip
	 */
	public boolean release(long executionNanos, boolean handlerWasDone) {
		if (handlerWasDone) {
			this.finishing.decrementAndGet();
		}
		return releaseSlot(executionNanos);
	}

	/**
	 * A taken job's handler is done; its outcome is being written, and its slot stays taken until
	 * then.
	 * @return as {@link #release(long, boolean)}
	 */
	public boolean handlerDone() {
		this.finishing.incrementAndGet();
		return this.mayHaveMore && free() >= claimThreshold();
	}

	/**
	 * Gives back the slot of a job that never ran (released, cancelled or lost before it started).
	 * @return as {@link #release(long, boolean)}
	 */
	public boolean releaseUnrun() {
		return releaseSlot(-1);
	}

	private boolean releaseSlot(long executionNanos) {
		if (executionNanos >= 0) {
			double millis = executionNanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
			double average = this.averageMillis;
			this.averageMillis = (average == Double.MAX_VALUE) ? millis : average * 0.9 + millis * 0.1;
		}
		this.taken.decrementAndGet();
		return this.mayHaveMore && free() >= claimThreshold();
	}

	boolean mayHaveMore() {
		return this.mayHaveMore;
	}

	void setMayHaveMore(boolean mayHaveMore) {
		this.mayHaveMore = mayHaveMore;
	}

	/** @return whether a claim now is worth its round trip */
	boolean worthClaiming() {
		int free = free();
		return free > 0 && (this.taken.get() == 0 || free >= claimThreshold());
	}

	public boolean isPaused() {
		return this.paused;
	}

}
