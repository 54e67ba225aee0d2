/**
 * All of the engine's SQL on its tables, one class per concern, each with its statements as text-block constants
 * beside it: {@link io.github.pgqueue.store.EnqueueStore}, {@link io.github.pgqueue.store.LeaseStore},
 * {@link io.github.pgqueue.store.MaintenanceStore}, {@link io.github.pgqueue.store.QueryStore},
 * {@link io.github.pgqueue.store.QueueStore}, {@link io.github.pgqueue.store.PeriodicStore} and
 * {@link io.github.pgqueue.store.SideEffectStore}, over one {@link io.github.pgqueue.store.Tables} and gathered by
 * {@link io.github.pgqueue.store.JobStore}. (The schema's own SQL is Liquibase's, in {@code schema}; the LISTEN
 * connection's is in {@code claim}.)
 * <p>
 * May use the root API and {@code config}; no other package. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.store;

import org.jspecify.annotations.NullMarked;
