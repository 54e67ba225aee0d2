package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.pgqueue.JobState;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of a worker's leases: the claim that takes one, the heartbeat that renews them, and the
 * writes that end one (complete, fail, release). Internal.
 * <p>
 * Every statement that changes a job says its guard in its name ({@code IfHeld} and {@code IfLeased}:
 * the owner's unexpired lease; {@code IfOwned}: the owner's name only). Times that decide ownership
 * ({@code run_at}, {@code lease_expires_at}) are always computed from the database's {@code now()};
 * Java passes only durations.
 */
public final class LeaseStore {

	// The claim's order, by priority aged by waiting time (now() is the statement's, the same for
	// every row): it picks the jobs, and returns them in the order the worker starts them. In
	// double precision: EXTRACT returns numeric, whose arithmetic costs several times as much.
	private static final String AGED_ORDER =
			"priority + floor(date_part('epoch', now() - run_at) * 1000 / {agingMillis}) DESC, run_at, id";

	// Claims up to {size} runnable jobs of the given kinds, by priority aged by waiting time: a job
	// gains one priority step per {agingMillis} it has waited past its run_at, so none starves. Two
	// lanes through the one claim index find the candidates: the highest priorities, and, for each
	// lower priority present, its longest-waiting jobs old enough to have aged (within a priority the
	// index holds them oldest first, so these are that priority's best by aged priority). The
	// priorities present are found by a skip scan of the same index, one probe each. The best {size}
	// candidates by aged priority are claimed. SKIP LOCKED lets many workers claim at once without
	// blocking each other or claiming one job twice; the attempt number taken here is the lease's
	// fencing token. The queue and kinds reach the scans through a one-row CTE, so that no plan
	// depends on their values (and which a paused queue leaves empty), and the size and aging are written into the SQL (see ClaimShape):
	// each claim statement then settles on one generic plan instead of being planned at every
	// execution.
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
			    SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), lease_owner = :owner,
			        lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
			    WHERE j.id = ANY(ARRAY(SELECT id FROM picked))
			    RETURNING j.id, j.queue, j.kind, CAST(j.payload AS text) AS payload, j.attempt, j.max_attempts,
			              j.run_at, j.attempted_at, j.priority
			)
			SELECT id, queue, kind, payload, attempt, max_attempts, run_at, attempted_at
			FROM claimed
			ORDER BY {agedOrder}
			""".replace("{agedOrder}", AGED_ORDER);

	// Row locks are taken in id order, as by every multi-row write of a worker, so that two of
	// them never deadlock.
	static final String RENEW_LEASES_IF_HELD = """
			WITH held AS (
			    SELECT id FROM {job}
			    WHERE id = ANY(CAST(:ids AS bigint[])) AND state = 'running' AND lease_owner = :owner
			      AND lease_expires_at > now()
			    ORDER BY id
			    FOR UPDATE
			)
			UPDATE {job} AS j
			SET lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
			WHERE j.id = ANY(ARRAY(SELECT id FROM held))
			RETURNING j.id, j.attempt, j.cancel_requested_at IS NOT NULL AS cancel_requested
			""";

	// Completes jobs, each only while the caller holds its unexpired lease for the given attempt; a
	// job whose cancel was requested while it ran ends cancelled. Returns the jobs written. Each
	// row's attempt is looked up in a JSON object (id -> attempt) parsed once, as an uncorrelated
	// subquery: joined with an unnest() of the pairs instead, the planner nests a loop over the whole
	// batch inside a loop over the running jobs, which costs the square of the batch; joined as a
	// one-row CTE, the row lock copies the whole object into every locked row, which costs the
	// square of the batch in memory.
	static final String COMPLETE_IF_LEASED = """
			WITH done AS (
			    SELECT j.id
			    FROM {job} AS j
			    WHERE j.id = ANY(CAST(:ids AS bigint[]))
			      AND j.attempt = CAST((SELECT CAST(:attempts AS jsonb)) ->> CAST(j.id AS text) AS integer)
			      AND j.state = 'running' AND j.lease_owner = :owner AND j.lease_expires_at > now()
			    ORDER BY j.id
			    FOR UPDATE OF j
			)
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE 'completed' END,
			    finalized_at = now(), lease_owner = NULL, lease_expires_at = NULL
			WHERE j.id = ANY(ARRAY(SELECT id FROM done))
			RETURNING j.id, j.state
			""";

	// Records a failed attempt only while the caller holds its unexpired lease for this attempt:
	// cancelled when a cancel was requested, dead when permanent or out of attempts, otherwise
	// available again after the backoff, counted from the database clock.
	private static final String FAIL_IF_LEASED = """
			UPDATE {job}
			SET state = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'
			                 WHEN :permanent OR attempt >= max_attempts THEN 'dead'
			                 ELSE 'available' END,
			    run_at = CASE WHEN cancel_requested_at IS NULL AND NOT :permanent AND attempt < max_attempts
			                  THEN now() + :retryDelayMillis * interval '1 millisecond'
			                  ELSE run_at END,
			    finalized_at = CASE WHEN cancel_requested_at IS NOT NULL OR :permanent OR attempt >= max_attempts
			                        THEN now() END,
			    lease_owner = NULL, lease_expires_at = NULL,
			    errors = errors || jsonb_build_array(jsonb_build_object(
			        'attempt', attempt, 'at', {utcNow}, 'message', CAST(:message AS text),
			        'stack', CAST(:stack AS text)))
			WHERE id = :id AND attempt = :attempt AND state = 'running' AND lease_owner = :owner
			  AND lease_expires_at > now()
			RETURNING state
			""";

	// Gives running jobs back at shutdown so another worker can claim them at once. The interrupted
	// attempt is not counted: the job did not fail, its worker stopped. Its guard is the owner only
	// (running under :owner's name, lease expired or not), not the attempt.
	private static final String RELEASE_IF_OWNED = """
			UPDATE {job}
			SET state = 'available', attempt = attempt - 1, run_at = now(), lease_owner = NULL,
			    lease_expires_at = NULL
			WHERE id IN (:ids) AND state = 'running' AND lease_owner = :owner
			RETURNING id
			""";

	private final JdbcClient jdbc;

	private final String claimAvailable;

	private final Map<ClaimShape, String> claimAvailableByShape = new ConcurrentHashMap<>();

	private final String renewLeasesIfHeld;

	private final String completeIfLeased;

	private final String failIfLeased;

	private final String releaseIfOwned;

	LeaseStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.claimAvailable = tables.sql(CLAIM_AVAILABLE);
		this.renewLeasesIfHeld = tables.sql(RENEW_LEASES_IF_HELD);
		this.completeIfLeased = tables.sql(COMPLETE_IF_LEASED);
		this.failIfLeased = tables.sql(FAIL_IF_LEASED);
		this.releaseIfOwned = tables.sql(RELEASE_IF_OWNED);
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
	 * queue for {@code owner}.
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
			.query(LeaseStore::claimedJob)
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

	/**
	 * Renews, in one statement, those of the given leases that {@code owner} still holds.
	 * @return the leases renewed; any other lease given is lost
	 */
	public List<RenewedLease> renewLeasesIfHeld(Collection<Lease> leases, String owner, long leaseMillis) {
		if (leases.isEmpty()) {
			return List.of();
		}
		Long[] ids = leases.stream().map(Lease::jobId).sorted().toArray(Long[]::new);
		return this.jdbc.sql(this.renewLeasesIfHeld)
			.param("ids", ids)
			.param("owner", owner)
			.param("leaseMillis", leaseMillis)
			.query((rs, row) -> new RenewedLease(new Lease(rs.getLong("id"), rs.getInt("attempt")),
					rs.getBoolean("cancel_requested")))
			.list()
			.stream()
			.filter((renewed) -> leases.contains(renewed.lease()))
			.toList();
	}

	/**
	 * Completes jobs in one statement; each succeeds only while {@code owner} holds its unexpired
	 * lease. A job whose cancel was requested while it ran ends cancelled.
	 * @return the new state of each job written, by id; the others' leases were lost
	 */
	public Map<Long, JobState> completeIfLeased(List<Lease> leases, String owner) {
		if (leases.isEmpty()) {
			return Map.of();
		}
		Long[] ids = new Long[leases.size()];
		StringBuilder attempts = new StringBuilder(leases.size() * 16).append('{');
		for (int i = 0; i < leases.size(); i++) {
			ids[i] = leases.get(i).jobId();
			attempts.append((i > 0) ? ",\"" : "\"").append(ids[i]).append("\":").append(leases.get(i).attempt());
		}
		attempts.append('}');
		Map<Long, JobState> written = new HashMap<>();
		this.jdbc.sql(this.completeIfLeased)
			.param("ids", ids)
			.param("attempts", attempts.toString())
			.param("owner", owner)
			.query((ResultSet rs) -> {
				written.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
			});
		return written;
	}

	/**
	 * Records a failed attempt; succeeds only while {@code owner} holds the unexpired lease.
	 * @return the job's new state, or empty when the lease was lost
	 */
	public Optional<JobState> failIfLeased(Lease lease, String owner, FailedAttempt failure) {
		return this.jdbc.sql(this.failIfLeased)
			.param("id", lease.jobId())
			.param("attempt", lease.attempt())
			.param("owner", owner)
			.param("permanent", failure.permanent())
			.param("retryDelayMillis", failure.retryDelayMillis())
			.param("message", failure.message())
			.param("stack", failure.stackTrace())
			.query((rs, row) -> JobState.fromDbValue(rs.getString("state")))
			.optional();
	}

	/**
	 * Makes the given jobs available again while they are running under {@code owner}'s name (whether
	 * or not the lease has expired: a rescue of an expired one would put it back too).
	 * @return the ids released
	 */
	public List<Long> releaseIfOwned(Collection<Long> ids, String owner) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(this.releaseIfOwned).param("ids", ids).param("owner", owner).query(Long.class).list();
	}

	private static ClaimedJob claimedJob(ResultSet rs, int row) throws SQLException {
		return new ClaimedJob(rs.getLong("id"), rs.getString("queue"), rs.getString("kind"), rs.getString("payload"),
				rs.getInt("attempt"), rs.getInt("max_attempts"), JobRows.instant(rs, "run_at"),
				JobRows.instant(rs, "attempted_at"));
	}

}
