/**
 * pgqueue's public API: everything an application touches to define, enqueue, handle and operate jobs
 * ({@link io.github.pgqueue.JobQueue}, {@link io.github.pgqueue.JobOperations}, the settings records), and
 * {@link io.github.pgqueue.PgQueue}, the entry point for plain Java.
 * <p>
 * Owns the contract. Its types use nothing of the sub-packages, which are internal and named for what happens to
 * a job, but {@code config}'s identifier check (in {@code EngineSettings}), and {@code PgQueue}, which wires the
 * internals together through {@code node}. Every sub-package may use this one.
 */
@NullMarked
package io.github.pgqueue;

import org.jspecify.annotations.NullMarked;
