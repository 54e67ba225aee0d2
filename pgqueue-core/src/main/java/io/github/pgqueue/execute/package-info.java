/**
 * Runs a claimed job: handler lookup, payload reading, outcome, and the guarded write of that outcome.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.execute;

import org.jspecify.annotations.NullMarked;
