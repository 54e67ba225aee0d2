package io.github.pgqueue.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import io.github.pgqueue.PeriodicTick;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of periodic jobs: each one's last tick enqueued, locked so that one node at a time
 * enqueues its ticks. Internal.
 */
public final class PeriodicStore {

	// A periodic job's state: created at the database's now() the first time any node sees the job,
	// so a new periodic job never catches up on ticks from before it existed.
	private static final String INSERT_PERIODIC_IF_ABSENT = """
			INSERT INTO {periodic} (name, last_tick) VALUES (:name, now()) ON CONFLICT (name) DO NOTHING
			""";

	// Locks a periodic job's row for the rest of the transaction: one node at a time enqueues ticks.
	private static final String LOCK_PERIODIC = """
			SELECT last_tick, now() AS db_now FROM {periodic} WHERE name = :name FOR UPDATE
			""";

	// Records the last tick enqueued, under the lock LOCK_PERIODIC took.
	private static final String UPDATE_PERIODIC = """
			UPDATE {periodic} SET last_tick = :lastTick, updated_at = now() WHERE name = :name
			""";

	// Every periodic job's last tick, by name; one row per periodic job the nodes know.
	private static final String SELECT_PERIODIC_TICKS = """
			SELECT name, last_tick, updated_at FROM {periodic} ORDER BY name LIMIT :limit
			""";

	private final JdbcClient jdbc;

	private final String selectPeriodicTicks;

	private final String insertPeriodicIfAbsent;

	private final String lockPeriodic;

	private final String updatePeriodic;

	PeriodicStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.insertPeriodicIfAbsent = tables.sql(INSERT_PERIODIC_IF_ABSENT);
		this.lockPeriodic = tables.sql(LOCK_PERIODIC);
		this.updatePeriodic = tables.sql(UPDATE_PERIODIC);
		this.selectPeriodicTicks = tables.sql(SELECT_PERIODIC_TICKS);
	}

	/**
	 * Locks a periodic job's state until the caller's transaction ends, creating it at the database's
	 * {@code now()} if it is new.
	 * @return the last tick enqueued, and the database's {@code now()}
	 */
	public PeriodicState lockPeriodic(String name) {
		this.jdbc.sql(this.insertPeriodicIfAbsent).param("name", name).update();
		return this.jdbc.sql(this.lockPeriodic)
			.param("name", name)
			.query((rs, row) -> new PeriodicState(JobRows.instant(rs, "last_tick"), JobRows.instant(rs, "db_now")))
			.single();
	}

	/** Records the last tick enqueued for a periodic job (under the lock of {@link #lockPeriodic}). */
	public void updatePeriodic(String name, Instant lastTick) {
		this.jdbc.sql(this.updatePeriodic)
			.param("name", name)
			.param("lastTick", OffsetDateTime.ofInstant(lastTick, ZoneOffset.UTC))
			.update();
	}

	/**
	 * @param limit the most to return
	 * @return the periodic jobs' last ticks, by name
	 */
	public List<PeriodicTick> periodicTicks(int limit) {
		return this.jdbc.sql(this.selectPeriodicTicks)
			.param("limit", limit)
			.query((rs, row) -> new PeriodicTick(rs.getString("name"),
					Objects.requireNonNull(JobRows.instant(rs, "last_tick")),
					Objects.requireNonNull(JobRows.instant(rs, "updated_at"))))
			.list();
	}

	/**
	 * @param lastTick the last tick enqueued
	 * @param now the database's now()
	 */
	public record PeriodicState(Instant lastTick, Instant now) {
	}

}
