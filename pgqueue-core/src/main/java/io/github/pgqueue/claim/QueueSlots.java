package io.github.pgqueue.claim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One queue's execution slots on this worker. Only the poller takes slots; handlers give them back,
 * so a count read by the poller can only grow until it takes some.
 */
public final class QueueSlots {

	private final String queue;

	private final int concurrency;

	private final AtomicInteger free;

	private volatile boolean mayHaveMore;

	private volatile boolean paused;

	public QueueSlots(String queue, int concurrency, boolean paused) {
		this.queue = queue;
		this.concurrency = concurrency;
		this.free = new AtomicInteger(concurrency);
		this.paused = paused;
	}

	public String queue() {
		return this.queue;
	}

	public int concurrency() {
		return this.concurrency;
	}

	public int free() {
		return this.free.get();
	}

	void take(int count) {
		this.free.addAndGet(-count);
	}

	/**
	 * Gives one slot back.
	 * @return whether the last claim filled every slot it asked for, so more jobs are likely waiting
	 */
	public boolean release() {
		this.free.incrementAndGet();
		return this.mayHaveMore;
	}

	boolean mayHaveMore() {
		return this.mayHaveMore;
	}

	void setMayHaveMore(boolean mayHaveMore) {
		this.mayHaveMore = mayHaveMore;
	}

	public boolean isPaused() {
		return this.paused;
	}

	public void setPaused(boolean paused) {
		this.paused = paused;
	}

}
