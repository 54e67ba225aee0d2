package io.github.pgqueue.lease;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.store.LeaseStore;
import io.github.pgqueue.store.Lease;
import io.github.pgqueue.store.RenewedLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews all of this worker's leases in one statement, and learns from the same statement which
 * leases it lost (expired, rescued and perhaps claimed elsewhere) and which jobs were cancelled.
 */
public final class LeaseHeartbeat {

	private static final Logger logger = LoggerFactory.getLogger(LeaseHeartbeat.class);

	private final LeaseStore store;

	private final LeaseRegistry registry;

	private final String owner;

	private final long leaseMillis;

	private final JobListener listener;


	private volatile java.util.function.Consumer<InFlightJob> onCancelRequested = (job) -> {
	};

	public LeaseHeartbeat(LeaseStore store, LeaseRegistry registry, String owner, long leaseMillis,
			JobListener listener) {
		this.store = store;
		this.registry = registry;
		this.owner = owner;
		this.leaseMillis = leaseMillis;
		this.listener = listener;
	}

	/**
	 * Renews the leases once.
	 * @return what the beat found
	 */
	public Result runOnce() {
		List<InFlightJob> held = this.registry.renewable();
		if (held.isEmpty()) {
			return new Result(0, 0, 0);
		}
		Map<Lease, InFlightJob> byLease = new HashMap<>();
		held.forEach((job) -> byLease.put(job.lease(), job));
		List<RenewedLease> renewed = this.store.renewLeasesIfHeld(byLease.keySet(), this.owner, this.leaseMillis);
		Set<Lease> renewedLeases = renewed.stream().map(RenewedLease::lease).collect(Collectors.toSet());
		int cancelled = 0;
		for (RenewedLease lease : renewed) {
			if (lease.cancelRequested()) {
				InFlightJob job = byLease.get(lease.lease());
				if (!job.isCancelRequested()) {
					job.requestCancel();
					this.onCancelRequested.accept(job);
					cancelled++;
				}
			}
		}
		int lost = 0;
		for (InFlightJob job : held) {
			// a job whose outcome is being written left the running state by its own write
			if (!renewedLeases.contains(job.lease()) && !job.isFinishing() && job.markLost()) {
				lost++;
				logger.warn("Lost the lease on job {} (kind {}, attempt {}): it expired before this heartbeat; "
						+ "the job may run elsewhere and this worker's outcome will be rejected", job.job().id(),
						job.job().kind(), job.job().attempt());
				this.listener.onLeaseLost(job.job().queue(), job.job().kind());
			}
		}
		return new Result(renewed.size(), lost, cancelled);
	}

	/** @param onCancelRequested told of each job this heartbeat finds newly cancelled */
	public void setOnCancelRequested(java.util.function.Consumer<InFlightJob> onCancelRequested) {
		this.onCancelRequested = onCancelRequested;
	}

	/**
	 * What one beat found.
	 *
	 * @param renewed leases renewed
	 * @param lost leases found lost
	 * @param cancelled jobs newly found cancelled
	 */
	public record Result(int renewed, int lost, int cancelled) {
	}

}
