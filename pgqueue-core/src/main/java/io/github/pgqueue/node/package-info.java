/**
 * A node of pgqueue: {@link io.github.pgqueue.node.Worker}, the composition root that wires the poller, runner,
 * heartbeat, reaper, wake-up listener and periodic scheduler into one lifecycle.
 * <p>
 * Owns the worker's lifecycle (start, graceful stop, release of unfinished jobs). May use every other package; only
 * the root's {@code PgQueue} and the Spring Boot auto-configuration use it. Internal: not part of pgqueue's public
 * API.
 */
@NullMarked
package io.github.pgqueue.node;

import org.jspecify.annotations.NullMarked;
