/**
 * Backoff between attempts: exponential with jitter, added to the database clock.
 * <p>
 * May use the root API only. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.retry;

import org.jspecify.annotations.NullMarked;
