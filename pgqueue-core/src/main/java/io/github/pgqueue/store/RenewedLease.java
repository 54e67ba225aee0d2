package io.github.pgqueue.store;

/**
 * A lease the heartbeat renewed, or found still held but locked by another transaction (not renewed
 * this time, and not lost).
 *
 * @param lease the lease
 * @param cancelRequested whether the job was cancelled while it runs
 */
public record RenewedLease(Lease lease, boolean cancelRequested) {
}
