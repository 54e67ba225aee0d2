/**
 * The side-effect ledger behind {@link io.github.pgqueue.JobContext#runOnce}: each step recorded once, under the
 * job's lease.
 * <p>
 * May use the root API and {@code store}. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.ledger;

import org.jspecify.annotations.NullMarked;
