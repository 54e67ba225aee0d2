package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The claim: one statement takes up to a queue's free slots of runnable jobs, each under a new lease
 * ({@code lease_owner}, the row's next {@code lease_token}). A claim counts no attempt: a job claimed
 * ahead of a free slot, or whose claim's reply never arrived, has not run. Internal.
 */
public final class ClaimStore {

	// The claim's order, by priority aged by waiting time (now() is the statement's, the same for
	// every row): it picks the jobs, and returns them in the order the worker starts them. In
	// double precision: EXTRACT returns numeric, whose arithmetic costs several times as much.
	private static final String AGED_ORDER =
			"priority + floor(date_part('epoch', now() - run_at) * 1000 / {agingMillis}) DESC, run_at, id";

	// A claimed row's next lease token: greater than its last one, and than any a claim lost in a
	// crash of PostgreSQL can have given it. A claim commits without waiting for the disk
	// (Tables.ASYNC_COMMIT), so a crash may take it back while its worker, which had its reply, still
	// holds the job; counted on from the row's durable token alone, the worker's next claim of the job
	// would take the lost claim's token again, and the writes it still made under the lost lease would
	// pass as the new one's. The database clock in microseconds, from a transaction begun after the
	// crash, is past any token handed out before it (unless the clock was set back by longer than the
	// crash and recovery took).
	private static final String NEXT_TOKEN =
			"GREATEST(j.lease_token + 1, CAST(date_part('epoch', now()) * 1000000 AS bigint))";

	// Claims up to {size} runnable jobs of the given kinds, by priority aged by waiting time: a job
	// gains one priority step per {agingMillis} it has waited past its run_at, so none starves. Two
	// lanes through the one claim index find the candidates: the highest priorities, and, for each
	// lower priority present, its longest-waiting jobs old enough to have aged (within a priority the
	// index holds them oldest first, so these are that priority's best by aged priority). The
	// priorities present are found by a skip scan of the same index, one probe each. The best {size}
	// candidates by aged priority are claimed. SKIP LOCKED lets many workers claim at once without
	// blocking each other or claiming one job twice. A claim takes the row's next lease token and
	// counts no attempt: a job claimed ahead of a free slot, or whose claim's reply never arrived, has
	// not run; it commits without waiting for the disk (see NEXT_TOKEN). The queue and kinds reach the
	// scans through a one-row CTE, so that no plan depends on their values (and which a paused queue
	// leaves empty), and the size and aging are written into the SQL (see ClaimShape): each claim
	// statement then settles on one generic plan instead of being planned at every execution.
	static final String CLAIM_AVAILABLE = """
			WITH RECURSIVE args AS MATERIALIZED (
			    SELECT CAST(:queue AS text) AS queue, CAST(:kinds AS text[]) AS kinds
			    -- a queue paused for every node leaves no arguments, and so nothing to claim in either lane
			    WHERE NOT EXISTS (SELECT 1 FROM {queue} AS q WHERE q.name = :queue AND q.paused)
			),
			levels (priority, depth) AS (
			    (SELECT priority, 0 FROM {job}
			     WHERE state = 'available' AND queue = (SELECT queue FROM args)
			     ORDER BY priority DESC
			     LIMIT 1)
			    UNION ALL
			    SELECT (SELECT j.priority FROM {job} AS j
			            WHERE j.state = 'available' AND j.queue = (SELECT queue FROM args) AND j.priority < l.priority
			            ORDER BY j.priority DESC
			            LIMIT 1), l.depth + 1
			    FROM levels AS l
			    WHERE l.priority IS NOT NULL
			),
			by_priority AS (
			    SELECT id, priority, run_at FROM {job}
			    WHERE state = 'available' AND queue = (SELECT queue FROM args) AND run_at <= now()
			      AND kind = ANY(CAST((SELECT kinds FROM args) AS text[]))
			    ORDER BY priority DESC, run_at, id
			    LIMIT {size}
			    FOR UPDATE SKIP LOCKED
			),
			by_age AS (
			    SELECT aged.id, aged.priority, aged.run_at
			    FROM levels AS l CROSS JOIN LATERAL (
			        SELECT id, priority, run_at FROM {job}
			        WHERE state = 'available' AND queue = (SELECT queue FROM args) AND priority = l.priority
			          AND run_at <= now() - {agingMillis} * interval '1 millisecond'
			          AND kind = ANY(CAST((SELECT kinds FROM args) AS text[]))
			        ORDER BY run_at, id
			        LIMIT {size}
			        FOR UPDATE SKIP LOCKED
			    ) AS aged
			    -- the top priority's oldest jobs lead the first lane already
			    WHERE l.priority IS NOT NULL AND l.depth > 0
			),
			picked AS (
			    SELECT id FROM (SELECT * FROM by_priority UNION SELECT * FROM by_age) AS candidate
			    ORDER BY {agedOrder}
			    LIMIT {size}
			),
			claimed AS (
			    UPDATE {job} AS j
			    SET state = 'running', lease_token = {nextToken}, started_at = NULL, lease_owner = :owner,
			        lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
			    WHERE j.id = ANY(ARRAY(SELECT id FROM picked))
			    RETURNING j.id, j.queue, j.kind, CAST(j.payload AS text) AS payload, j.attempt, j.max_attempts,
			              j.run_at, j.priority, j.lease_token, j.created_at, CAST(j.metadata AS text) AS metadata
			)
			SELECT id, queue, kind, payload, attempt, max_attempts, run_at, now() AS claimed_at, lease_token,
			       created_at, metadata, (SELECT {asyncCommit}) AS async_commit
			FROM claimed
			ORDER BY {agedOrder}
			"""
		.replace("{agedOrder}", AGED_ORDER)
		.replace("{nextToken}", NEXT_TOKEN)
		.replace("{asyncCommit}", Tables.ASYNC_COMMIT);

	private final JdbcClient jdbc;

	private final String claimAvailable;

	private final Map<ClaimShape, String> claimAvailableByShape = new ConcurrentHashMap<>();

	ClaimStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.claimAvailable = tables.sql(CLAIM_AVAILABLE);
	}

	/**
	 * The number of jobs a claim asks for when {@code free} slots are free: {@code free} itself up to
	 * 16, above that {@code free} rounded down to its 4 highest bits (at most a ninth less). A claim's
	 * LIMIT is written into its SQL rather than bound: bound, PostgreSQL plans the claim anew at each
	 * execution (a generic plan cannot see the LIMIT, so it never looks as cheap), and planning costs
	 * more than running a small claim. Written in, each of the few sizes settles on its generic plan
	 * after five executions.
	 * @param free free slots, at least 1
	 * @return the claim's size, between 1 and {@code free}
	 */
	public static int claimSize(int free) {
		if (free <= 16) {
			return free;
		}
		int high = Integer.highestOneBit(free);
		return free & (high | (high >> 1) | (high >> 2) | (high >> 3));
	}

	/**
	 * Claims up to {@link #claimSize(int) claimSize(limit)} runnable jobs of the given kinds on one
	 * queue for {@code owner}, each under a new lease; no attempt is counted.
	 */
	public List<ClaimedJob> claimAvailable(String queue, Collection<String> kinds, int limit, String owner,
			long leaseMillis, long agingMillis) {
		if (kinds.isEmpty() || limit <= 0) {
			return List.of();
		}
		return this.jdbc.sql(claimSql(claimSize(limit), agingMillis))
			.param("queue", queue)
			.param("kinds", kinds.toArray(String[]::new))
			.param("owner", owner)
			.param("leaseMillis", leaseMillis)
			.query(ClaimStore::claimedJob)
			.list();
	}

	/** @return the claim statement for one size and aging, its queue, kinds, owner and lease still to bind */
	String claimSql(int size, long agingMillis) {
		return this.claimAvailableByShape.computeIfAbsent(new ClaimShape(size, agingMillis),
				(shape) -> shape.render(this.claimAvailable));
	}

	/**
	 * What one claim statement's text is written for: its size and its aging, as literals, so that
	 * each shape is its own prepared statement with its own generic plan.
	 *
	 * @param size the most jobs it claims
	 * @param agingMillis how long a job waits to gain one priority step
	 */
	private record ClaimShape(int size, long agingMillis) {

		String render(String template) {
			return template.replace("{size}", Integer.toString(this.size))
				.replace("{agingMillis}", Long.toString(this.agingMillis));
		}

	}

	private static ClaimedJob claimedJob(ResultSet rs, int row) throws SQLException {
		return new ClaimedJob(rs.getLong("id"), rs.getString("queue"), rs.getString("kind"), rs.getString("payload"),
				rs.getInt("attempt"), rs.getInt("max_attempts"), JobRows.instant(rs, "run_at"),
				JobRows.instant(rs, "claimed_at"), rs.getLong("lease_token"), JobRows.instant(rs, "created_at"),
				rs.getString("metadata"));
	}

}
