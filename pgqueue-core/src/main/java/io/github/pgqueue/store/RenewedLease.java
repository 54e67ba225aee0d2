package io.github.pgqueue.store;

/**
 * A lease the heartbeat renewed.
 *
 * @param lease the lease
 * @param cancelRequested whether the job was cancelled while it runs
 */
public record RenewedLease(Lease lease, boolean cancelRequested) {
}
