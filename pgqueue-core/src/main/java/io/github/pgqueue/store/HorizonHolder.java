package io.github.pgqueue.store;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What holds this database's MVCC horizon back the longest: another session's snapshot
 * ({@code pg_stat_activity.backend_xmin}) or transaction id, or a prepared transaction. While it
 * stays, vacuum can remove no row that died after it began: finished jobs' dead rows pile up in the
 * job table and its indexes, and every claim slows down.
 *
 * @param holder {@code session} or {@code prepared transaction}
 * @param pid a session's backend process id
 * @param name a session's {@code application_name}, or a prepared transaction's global id, if visible
 * @param state a session's state ({@code active}, {@code idle in transaction}, ...), if visible
 * @param age how long its transaction (or, outside one, its statement) has been open
 */
public record HorizonHolder(String holder, @Nullable Integer pid, @Nullable String name, @Nullable String state,
		Duration age) {
}
