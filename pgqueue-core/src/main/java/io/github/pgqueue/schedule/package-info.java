/**
 * Periodic jobs: each tick of a schedule enqueues exactly one job, however many nodes run.
 * <p>
 * May use the root API and {@code store}. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.schedule;

import org.jspecify.annotations.NullMarked;
