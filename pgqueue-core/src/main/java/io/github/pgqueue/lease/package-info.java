/**
 * Leases: the heartbeat that renews a worker's leases and learns which it lost or which were cancelled.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.lease;

import org.jspecify.annotations.NullMarked;
