package io.github.pgqueue.claim;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.ClaimStore;

/**
 * Fills a worker's free slots: for each queue, one statement claims up to as many runnable jobs as
 * the queue has free slots (rounded down to a {@link ClaimStore#claimSize claim size}), of the kinds
 * this worker has handlers for.
 */
public final class JobPoller {

	private final ClaimStore store;

	private final List<QueueSlots> queues;

	private final Collection<String> kinds;

	private final String owner;

	private final long leaseMillis;

	private final long agingMillis;

	private final Consumer<ClaimedJob> dispatcher;

	/**
	 * @param dispatcher takes each claimed job; called after the job's slot is taken
	 */
	public JobPoller(ClaimStore store, List<QueueSlots> queues, Collection<String> kinds, String owner,
			long leaseMillis, long agingMillis, Consumer<ClaimedJob> dispatcher) {
		this.store = store;
		this.queues = List.copyOf(queues);
		this.kinds = List.copyOf(kinds);
		this.owner = owner;
		this.leaseMillis = leaseMillis;
		this.agingMillis = agingMillis;
		this.dispatcher = dispatcher;
	}

	/**
	 * Claims once for every unpaused queue with free slots.
	 * @return what was claimed, and whether claiming again at once is likely to find more
	 */
	public Result runOnce() {
		int claimed = 0;
		boolean claimAgain = false;
		for (QueueSlots queue : this.queues) {
			if (queue.isPaused() || !queue.worthClaiming()) {
				continue;
			}
			int size = ClaimStore.claimSize(queue.free());
			List<ClaimedJob> jobs = this.store.claimAvailable(queue.queue(), this.kinds, size, this.owner,
					this.leaseMillis, this.agingMillis);
			queue.take(jobs.size());
			queue.setMayHaveMore(jobs.size() == size);
			claimed += jobs.size();
			jobs.forEach(this.dispatcher);
			claimAgain |= queue.mayHaveMore() && queue.worthClaiming();
		}
		return new Result(claimed, claimAgain);
	}

	/**
	 * @param claimed jobs claimed
	 * @param claimAgain whether a queue filled its claim and has free slots again already
	 */
	public record Result(int claimed, boolean claimAgain) {
	}

}
