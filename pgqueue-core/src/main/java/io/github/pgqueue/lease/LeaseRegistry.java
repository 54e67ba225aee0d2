package io.github.pgqueue.lease;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.pgqueue.store.ClaimedJob;

/**
 * The jobs this worker holds leases on.
 */
public final class LeaseRegistry {

	private final Map<Long, InFlightJob> jobs = new ConcurrentHashMap<>();

	public InFlightJob add(ClaimedJob job) {
		InFlightJob inFlight = new InFlightJob(job);
		this.jobs.put(job.id(), inFlight);
		return inFlight;
	}

	public void remove(InFlightJob inFlight) {
		this.jobs.remove(inFlight.job().id(), inFlight);
	}

	/** @return the jobs held now, finishing or not */
	public List<InFlightJob> all() {
		return List.copyOf(this.jobs.values());
	}

	/** @return the jobs whose leases the heartbeat should renew */
	List<InFlightJob> renewable() {
		return this.jobs.values().stream().filter((job) -> !job.isFinishing() && !job.isLost()).toList();
	}

	public int size() {
		return this.jobs.size();
	}

}
