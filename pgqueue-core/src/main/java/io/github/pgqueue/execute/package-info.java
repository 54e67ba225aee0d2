/**
 * Runs a claimed job: handler lookup, payload reading, outcome, and the guarded write of that outcome (one failure at
 * a time, completions in batches); {@link io.github.pgqueue.execute.SynchronousRunner} does the same on the calling
 * thread for the test kit ({@code pgqueue-test}).
 * <p>
 * Owns handlers' registrations and the worker's counters. May use the root API, {@code lease}, {@code ledger},
 * {@code retry} and {@code store}; never {@code claim} or {@code node}, which use it. Internal: not part of
 * pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.execute;

import org.jspecify.annotations.NullMarked;
