/**
 * Maintenance: rescuing jobs whose lease expired and pruning finished jobs past retention.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.reaper;

import org.jspecify.annotations.NullMarked;
