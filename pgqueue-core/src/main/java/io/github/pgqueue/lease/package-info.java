/**
 * Leases: the registry of a worker's jobs in flight, and the heartbeat that renews their leases and learns which it
 * lost or which were cancelled.
 * <p>
 * May use the root API and {@code store}. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.lease;

import org.jspecify.annotations.NullMarked;
