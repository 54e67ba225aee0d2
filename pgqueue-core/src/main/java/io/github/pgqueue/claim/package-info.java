/**
 * Claims available jobs into a worker's free slots.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.claim;

import org.jspecify.annotations.NullMarked;
