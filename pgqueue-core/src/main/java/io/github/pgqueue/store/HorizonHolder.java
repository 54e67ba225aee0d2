package io.github.pgqueue.store;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The session of this database whose snapshot is the oldest ({@code pg_stat_activity.backend_xmin}):
 * while it stays open, vacuum can remove no row that died after it began, finished jobs' dead rows
 * pile up in the job table and its indexes, and every claim slows down.
 *
 * @param pid the session's backend process id
 * @param state its state ({@code active}, {@code idle in transaction}, ...), if visible
 * @param applicationName its {@code application_name}, if visible
 * @param age how long its transaction (or, outside one, its statement) has been open
 */
public record HorizonHolder(int pid, @Nullable String state, @Nullable String applicationName, Duration age) {
}
