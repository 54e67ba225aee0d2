package io.github.pgqueue;

import java.time.Instant;
import java.util.List;

/**
 * A worker as the database shows it: the lease owner of running jobs, with what it runs. A worker
 * renews all its leases at each heartbeat, so its latest lease expiry tells when it last renewed
 * (that expiry minus the lease duration). A worker running nothing holds no lease and is not shown.
 *
 * @param owner the worker id ({@code pgqueue.worker.id})
 * @param running how many jobs it runs
 * @param kinds the kinds it runs, by name
 * @param queues the queues it runs from, by name
 * @param leaseExpiresAt the latest expiry among its leases
 */
public record LeaseHolder(String owner, long running, List<String> kinds, List<String> queues,
		Instant leaseExpiresAt) {

	public LeaseHolder {
		kinds = List.copyOf(kinds);
		queues = List.copyOf(queues);
	}

}
