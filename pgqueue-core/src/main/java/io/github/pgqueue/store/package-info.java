/**
 * The only place with SQL: {@link io.github.pgqueue.store.JobStore}, the engine's internal persistence seam.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.store;

import org.jspecify.annotations.NullMarked;
