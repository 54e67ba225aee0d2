/**
 * Turns enqueue calls into job rows: validation at the edge, idempotency, backlog limits.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.enqueue;

import org.jspecify.annotations.NullMarked;
