/**
 * Operations beyond producing jobs: the engine's {@link io.github.pgqueue.JobOperations} (dead letter, queue
 * pauses, keyset-paged listing).
 * <p>
 * Owns the validation of operators' arguments. May use the root API and {@code store}. Internal: not part of
 * pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.admin;

import org.jspecify.annotations.NullMarked;
