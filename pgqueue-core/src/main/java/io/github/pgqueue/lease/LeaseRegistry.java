package io.github.pgqueue.lease;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.store.ClaimedJob;

/**
 * The jobs this worker holds leases on, from their claim until they are settled.
 */
public final class LeaseRegistry {

	private final Map<Long, InFlightJob> jobs = new ConcurrentHashMap<>();

	private final Object emptied = new Object();

	/**
	 * @param onSettled also run when the job is settled, after it left the registry
	 */
	public InFlightJob add(ClaimedJob job, long leaseDeadlineNanos, java.util.function.Consumer<InFlightJob> onSettled) {
		InFlightJob[] self = new InFlightJob[1];
		InFlightJob inFlight = new InFlightJob(job, leaseDeadlineNanos, () -> {
			this.jobs.remove(job.id(), self[0]);
			onSettled.accept(self[0]);
			synchronized (this.emptied) {
				this.emptied.notifyAll();
			}
		});
		self[0] = inFlight;
		this.jobs.put(job.id(), inFlight);
		return inFlight;
	}

	/** @return the jobs held now, in any state */
	public List<InFlightJob> all() {
		return List.copyOf(this.jobs.values());
	}

	/** @return the jobs whose leases the heartbeat renews: every unsettled one in a leased state */
	List<InFlightJob> renewable() {
		return this.jobs.values().stream().filter((job) -> job.state().isLeased()).toList();
	}

	public int size() {
		return this.jobs.size();
	}

	/**
	 * Waits until every job is settled, or the deadline passes.
	 * @param deadlineNanos by {@link System#nanoTime()}
	 * @return whether every job is settled
	 */
	public boolean awaitSettled(long deadlineNanos) {
		synchronized (this.emptied) {
			while (!this.jobs.isEmpty()) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					this.emptied.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return this.jobs.isEmpty();
				}
			}
			return true;
		}
	}

}
