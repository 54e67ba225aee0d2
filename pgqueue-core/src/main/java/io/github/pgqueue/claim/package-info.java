/**
 * Claims available jobs into a worker's free slots: the poller, each queue's slots, and the LISTEN connection that
 * wakes the poller when a job is enqueued.
 * <p>
 * Owns the claim loop and its own LISTEN connection (the one SQL outside {@code store}, a driver-level
 * {@code LISTEN}). May use the root API and {@code store}. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.claim;

import org.jspecify.annotations.NullMarked;
