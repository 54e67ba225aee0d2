/**
 * Maintenance: rescuing jobs whose lease expired and pruning finished jobs past retention, each a
 * {@code runOnce()} that a node's scheduler calls.
 * <p>
 * May use the root API and {@code store}. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.reaper;

import org.jspecify.annotations.NullMarked;
