package io.github.pgqueue.lease;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.store.Lease;
import io.github.pgqueue.store.LeaseStore;
import io.github.pgqueue.store.RenewedLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews all of this worker's leases in one statement, and learns from the same beat which leases it
 * lost (expired, rescued and perhaps claimed elsewhere) and which jobs were cancelled. Jobs whose
 * outcome waits to be written are renewed too, so that a write retried through a short outage still
 * finds its lease. It runs on a thread of its own and a connection no handler can take (see
 * {@code node.Worker}); a beat that fails marks the node unhealthy, and an unhealthy node claims
 * nothing until a beat succeeds.
 */
public final class LeaseHeartbeat {

	private static final Logger logger = LoggerFactory.getLogger(LeaseHeartbeat.class);

	private final LeaseStore store;

	private final LeaseRegistry registry;

	private final String owner;

	private final long leaseMillis;

	private final JobListener listener;

	private final Consumer<InFlightJob> onCancelRequested;

	private final Runnable ping;

	private volatile boolean healthy = true;

	private int failures;

	/**
	 * @param store the lease statements, on the heartbeat's own connection
	 * @param ping a round trip on that connection, for beats with no lease to renew
	 * @param onCancelRequested told of each job this heartbeat finds newly cancelled
	 */
	public LeaseHeartbeat(LeaseStore store, LeaseRegistry registry, String owner, long leaseMillis,
			JobListener listener, Consumer<InFlightJob> onCancelRequested, Runnable ping) {
		this.store = store;
		this.registry = registry;
		this.owner = owner;
		this.leaseMillis = leaseMillis;
		this.listener = listener;
		this.onCancelRequested = onCancelRequested;
		this.ping = ping;
	}

	/**
	 * Renews the leases once.
	 * @return what the beat found
	 * @throws RuntimeException when the database could not be reached: the node is then unhealthy
	 */
	public Result runOnce() {
		try {
			Result result = beat();
			if (!this.healthy) {
				logger.info("pgqueue worker {} renews its leases again after {} failed heartbeat(s)", this.owner,
						this.failures);
			}
			this.healthy = true;
			this.failures = 0;
			return result;
		}
		catch (RuntimeException ex) {
			this.healthy = false;
			this.failures++;
			throw ex;
		}
	}

	private Result beat() {
		List<InFlightJob> held = this.registry.renewable();
		if (held.isEmpty()) {
			this.ping.run();
			return new Result(0, 0, 0);
		}
		Map<Lease, InFlightJob> byLease = new HashMap<>();
		held.forEach((job) -> byLease.put(job.lease(), job));
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(this.leaseMillis);
		List<RenewedLease> renewed = this.store.renewLeasesIfHeld(byLease.keySet(), this.owner, this.leaseMillis);
		Map<Lease, RenewedLease> still = new HashMap<>();
		renewed.forEach((lease) -> still.put(lease.lease(), lease));
		int cancelled = 0;
		int lost = 0;
		for (InFlightJob job : held) {
			RenewedLease lease = still.get(job.lease());
			if (lease != null) {
				job.renewedUntil(deadline);
				if (lease.cancelRequested() && !job.isCancelRequested()) {
					job.requestCancel();
					this.onCancelRequested.accept(job);
					cancelled++;
				}
			}
			// a job whose outcome is being written may have left the running state by its own write
			else if (job.state() != InFlightJob.State.FINISHING && job.lose()) {
				lost++;
				logger.warn("Lost the lease on {}: it expired before this heartbeat; the job may run elsewhere "
						+ "and this worker's outcome will be rejected", job);
				this.listener.onLeaseLost(job.job().queue(), job.job().kind());
			}
		}
		return new Result(renewed.size(), lost, cancelled);
	}

	/** @return whether the last beat reached the database */
	public boolean isHealthy() {
		return this.healthy;
	}

	/**
	 * What one beat found.
	 *
	 * @param renewed leases still held
	 * @param lost leases found lost
	 * @param cancelled jobs newly found cancelled
	 */
	public record Result(int renewed, int lost, int cancelled) {
	}

}
