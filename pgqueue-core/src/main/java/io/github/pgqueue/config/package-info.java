/**
 * Validated settings of the engine: one record per group, each rejecting an invalid value with a message naming it.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.config;

import org.jspecify.annotations.NullMarked;
