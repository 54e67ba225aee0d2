/**
 * Turns enqueue calls into job rows: validation at the edge, idempotency, backlog limits, and coalesced wake-ups.
 * <p>
 * Owns {@link io.github.pgqueue.enqueue.DefaultJobQueue}. May use the root API, {@code config} and {@code store}.
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.enqueue;

import org.jspecify.annotations.NullMarked;
