/**
 * The side-effect ledger behind {@link io.github.pgqueue.JobContext#runOnce}.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.ledger;

import org.jspecify.annotations.NullMarked;
