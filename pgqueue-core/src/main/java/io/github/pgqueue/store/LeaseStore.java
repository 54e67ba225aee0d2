package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.pgqueue.JobState;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;

/**
 * The SQL of a worker's leases once claimed ({@link ClaimStore} takes them): the start that counts
 * its attempt, the heartbeat that renews them, and the writes that end one (complete, fail, release).
 * Internal.
 * <p>
 * A lease is (owner, token): every claim of a row takes its next {@code lease_token}, so a lease never
 * recurs. Every statement that changes a leased job says its guard in its name ({@code IfLeased}: the
 * owner's unexpired lease with this token; {@code IfOwned}: the owner and token, expired or not).
 * Times that decide ownership ({@code run_at}, {@code lease_expires_at}) are always computed from the
 * database's {@code now()}; Java passes only durations. A write is one guarded {@code UPDATE}, with no
 * lock pass of its own before it: PostgreSQL re-checks the guard on a row's newest version when the
 * row changed under it, and looks the ids up through the primary key in id order. Two writes to the
 * same rows in another order (a lease's write and an operator's or the rescuer's, on a row whose lease
 * just expired) can only deadlock, which PostgreSQL breaks by failing one; a lease write that fails is
 * retried while the lease lasts.
 */
public final class LeaseStore {

	// The guard of every write to a leased row: still running under this owner and this token, and
	// unexpired. Each row's token is looked up in a JSON object (id -> token) parsed once, as an
	// uncorrelated subquery: joined with an unnest() of the pairs, the planner nests a loop over the
	// batch inside a loop over the running jobs; joined as a one-row CTE, the row lock copies the
	// whole object into every locked row. "Running" is said by the owner alone (the CHECK
	// pgqueue_job_lease_check makes a row with an owner a running one): written as state = 'running',
	// it would let the planner read the lease index (WHERE state = 'running') for a batch of ids, every
	// lease of every worker filtered by id, instead of one primary-key lookup per id; its statistics,
	// taken while few jobs ran, make that index look empty.
	private static final String OWNED = """
			j.lease_owner = :owner
			      AND j.lease_token = CAST((SELECT CAST(:tokens AS jsonb)) ->> CAST(j.id AS text) AS bigint)""";

	private static final String LEASED = OWNED + " AND j.lease_expires_at > now()";

	// Whether a claimed job may start now: not cancelled meanwhile, and its queue not paused for
	// every node meanwhile.
	private static final String STARTS = """
			(j.cancel_requested_at IS NULL AND j.queue NOT IN (SELECT q.name FROM {queue} AS q WHERE q.paused))""";

	// Starts claimed jobs under their unexpired leases, counting their attempt: a job's attempts count
	// the runs of its handler. A job cancelled while it waited ends cancelled, and one whose queue was
	// paused meanwhile is given back with its attempt uncounted; neither starts. Its commit does not
	// wait for the disk (Tables.ASYNC_COMMIT, evaluated once with the first row it returns).
	static final String START_IF_LEASED = """
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
			                 WHEN {starts} THEN 'running' ELSE 'available' END,
			    attempt = CASE WHEN {starts} THEN j.attempt + 1 ELSE j.attempt END,
			    attempted_at = CASE WHEN {starts} THEN now() ELSE j.attempted_at END,
			    started_at = CASE WHEN {starts} THEN now() END,
			    finalized_at = CASE WHEN j.cancel_requested_at IS NOT NULL THEN now() END,
			    lease_owner = CASE WHEN {starts} THEN j.lease_owner END,
			    lease_expires_at = CASE WHEN {starts} THEN j.lease_expires_at END
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased} AND j.started_at IS NULL
			RETURNING j.id, j.state, j.attempt, (SELECT {asyncCommit}) AS async_commit
			""".replace("{starts}", STARTS).replace("{asyncCommit}", Tables.ASYNC_COMMIT);

	// Renews the given unexpired leases. A row another transaction holds locked is skipped rather
	// than waited for: nothing a handler locks may delay the renewal of the other leases.
	static final String RENEW_LEASES_IF_HELD = """
			WITH held AS (
			    SELECT j.id FROM {job} AS j
			    WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased}
			    ORDER BY j.id
			    FOR UPDATE OF j SKIP LOCKED
			)
			UPDATE {job} AS j
			SET lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
			WHERE j.id = ANY(ARRAY(SELECT id FROM held))
			RETURNING j.id, j.cancel_requested_at IS NOT NULL AS cancel_requested
			""";

	// The given leases still held, read without locking: those a renewal skipped as locked are held,
	// not lost.
	static final String LEASES_HELD = """
			SELECT j.id, j.cancel_requested_at IS NOT NULL AS cancel_requested FROM {job} AS j
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased}
			""";

	// Completes jobs, each only under its unexpired lease; a job whose cancel was requested while it
	// ran ends cancelled. Returns the jobs written.
	static final String COMPLETE_IF_LEASED = """
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE 'completed' END,
			    finalized_at = now(), lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased}
			RETURNING j.id, j.state
			""";

	// Deletes completed jobs, each only under its unexpired lease, for retention.completed: 0 (the
	// pruner would delete them at its next pass): a job whose cancel was requested while it ran is
	// left to COMPLETE_IF_LEASED, which ends it cancelled. Its runOnce steps go with it (ON DELETE
	// CASCADE). Returns the jobs deleted.
	static final String DELETE_COMPLETED_IF_LEASED = """
			DELETE FROM {job} AS j
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased} AND j.cancel_requested_at IS NULL
			RETURNING j.id
			""";

	// Records a failed attempt under its unexpired lease, as the retry policy decided it (:next is
	// 'available' after the delay, counted from the database clock, or 'dead'); cancelled instead when
	// a cancel was requested.
	static final String FAIL_IF_LEASED = """
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE :next END,
			    run_at = CASE WHEN j.cancel_requested_at IS NULL AND :next = 'available'
			                  THEN now() + :retryDelayMillis * interval '1 millisecond' ELSE j.run_at END,
			    finalized_at = CASE WHEN j.cancel_requested_at IS NOT NULL OR :next <> 'available' THEN now() END,
			    lease_owner = NULL, lease_expires_at = NULL, started_at = NULL,
			    errors = j.errors || jsonb_build_array(jsonb_build_object(
			        'attempt', j.attempt, 'at', {utcNow}, 'message', CAST(:message AS text),
			        'stack', CAST(:stack AS text)))
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased}
			RETURNING j.state
			""";

	// Gives jobs back at shutdown so another worker can claim them at once, each only under its
	// owner's lease with this token, expired or not (a rescue of an expired one would put it back
	// too). An interrupted attempt is not counted: the job did not fail, its worker stopped.
	static final String RELEASE_IF_OWNED = """
			UPDATE {job} AS j
			SET state = 'available', attempt = CASE WHEN j.started_at IS NOT NULL THEN j.attempt - 1 ELSE j.attempt END,
			    run_at = now(), lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {owned}
			RETURNING j.id
			""";

	// Which of the given leases' jobs started under them: a start whose reply was lost may have
	// committed.
	static final String STARTED_UNDER = """
			SELECT j.id, j.attempt FROM {job} AS j
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND {leased} AND j.started_at IS NOT NULL
			""";

	// Which of the given jobs left the running state under these tokens: a write whose reply was
	// lost may have committed, and finding its row finished under its own token tells so.
	static final String FINISHED_UNDER = """
			SELECT j.id, j.state FROM {job} AS j
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND j.state <> 'running'
			  AND j.lease_token = CAST((SELECT CAST(:tokens AS jsonb)) ->> CAST(j.id AS text) AS bigint)
			""";

	// FINISHED_UNDER for completions that delete their rows: a job whose row is gone was finished
	// (completed and deleted by its worker, or by another one after a rescue; the pruner and the
	// operators delete finished jobs only).
	static final String FINISHED_OR_GONE_UNDER = """
			SELECT i.id, COALESCE(j.state, 'completed') AS state
			FROM unnest(CAST(:ids AS bigint[])) AS i(id)
			LEFT JOIN {job} AS j ON j.id = i.id
			WHERE j.id IS NULL OR (j.state <> 'running'
			  AND j.lease_token = CAST((SELECT CAST(:tokens AS jsonb)) ->> CAST(i.id AS text) AS bigint))
			""";

	private final JdbcClient jdbc;

	private final String startIfLeased;

	private final String renewLeasesIfHeld;

	private final String leasesHeld;

	private final String completeIfLeased;

	private final String deleteCompletedIfLeased;

	private final String finishedOrGoneUnder;

	private final String failIfLeased;

	private final String releaseIfOwned;

	private final String finishedUnder;

	private final String startedUnder;

	LeaseStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.startIfLeased = sql(tables, START_IF_LEASED);
		this.renewLeasesIfHeld = sql(tables, RENEW_LEASES_IF_HELD);
		this.leasesHeld = sql(tables, LEASES_HELD);
		this.completeIfLeased = sql(tables, COMPLETE_IF_LEASED);
		this.deleteCompletedIfLeased = sql(tables, DELETE_COMPLETED_IF_LEASED);
		this.finishedOrGoneUnder = sql(tables, FINISHED_OR_GONE_UNDER);
		this.failIfLeased = sql(tables, FAIL_IF_LEASED);
		this.releaseIfOwned = sql(tables, RELEASE_IF_OWNED);
		this.finishedUnder = sql(tables, FINISHED_UNDER);
		this.startedUnder = sql(tables, STARTED_UNDER);
	}

	/** @return the template with its guards and these tables in place */
	static String sql(Tables tables, String template) {
		return tables.sql(template.replace("{leased}", LEASED).replace("{owned}", OWNED));
	}

	/**
	 * Starts claimed jobs in one statement, each only under {@code owner}'s unexpired lease and not
	 * started before: counts its attempt, unless it was cancelled or its queue paused meanwhile.
	 * @return what became of each job under its lease, by id; a job absent lost its lease
	 */
	public Map<Long, StartedJob> startIfLeased(List<Lease> leases, String owner) {
		Map<Long, StartedJob> started = new HashMap<>();
		if (leases.isEmpty()) {
			return started;
		}
		LeaseTokens tokens = LeaseTokens.of(leases);
		guarded(this.startIfLeased, tokens, owner)
			.query((ResultSet rs) -> {
				long id = rs.getLong("id");
				started.put(id, new StartedJob(id, JobState.fromDbValue(rs.getString("state")), rs.getInt("attempt")));
			});
		return started;
	}

	/**
	 * Renews, in one statement, those of the given leases that {@code owner} still holds, skipping rows
	 * another transaction holds locked; those skipped but still held are returned too, unrenewed this
	 * time.
	 * @return the leases still held; any other lease given is lost
	 */
	public List<RenewedLease> renewLeasesIfHeld(Collection<Lease> leases, String owner, long leaseMillis) {
		if (leases.isEmpty()) {
			return List.of();
		}
		LeaseTokens tokens = LeaseTokens.of(leases);
		Map<Long, RenewedLease> held = new HashMap<>();
		guarded(this.renewLeasesIfHeld, tokens, owner)
			.param("leaseMillis", leaseMillis)
			.query((ResultSet rs) -> {
				long id = rs.getLong("id");
				held.put(id, new RenewedLease(tokens.lease(id), rs.getBoolean("cancel_requested")));
			});
		if (held.size() < leases.size()) {
			List<Lease> skipped = leases.stream().filter((lease) -> !held.containsKey(lease.jobId())).toList();
			LeaseTokens rest = LeaseTokens.of(skipped);
			this.jdbc.sql(this.leasesHeld)
				.param("ids", rest.ids())
				.param("tokens", rest.json())
				.param("owner", owner)
				.query((ResultSet rs) -> {
					long id = rs.getLong("id");
					held.put(id, new RenewedLease(rest.lease(id), rs.getBoolean("cancel_requested")));
				});
		}
		return new ArrayList<>(held.values());
	}

	/**
	 * Completes jobs in one statement; each succeeds only while {@code owner} holds its unexpired
	 * lease. A job whose cancel was requested while it ran ends cancelled.
	 * @return the new state of each job written, by id; the others' leases were lost
	 */
	public Map<Long, JobState> completeIfLeased(List<Lease> leases, String owner) {
		Map<Long, JobState> written = new HashMap<>();
		if (leases.isEmpty()) {
			return written;
		}
		LeaseTokens tokens = LeaseTokens.of(leases);
		guarded(this.completeIfLeased, tokens, owner)
			.query((ResultSet rs) -> {
				written.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
			});
		return written;
	}

	/**
	 * Completes jobs as {@link #completeIfLeased} does, deleting the rows of those that end completed
	 * (for {@code retention.completed: 0}): one statement when no cancel was requested meanwhile.
	 * @return the new state of each job written, by id; the others' leases were lost
	 */
	public Map<Long, JobState> deleteCompletedIfLeased(List<Lease> leases, String owner) {
		Map<Long, JobState> written = new HashMap<>();
		if (leases.isEmpty()) {
			return written;
		}
		guarded(this.deleteCompletedIfLeased, LeaseTokens.of(leases), owner)
			.query((ResultSet rs) -> {
				written.put(rs.getLong("id"), JobState.COMPLETED);
			});
		if (written.size() < leases.size()) {
			// cancelled meanwhile, or no longer leased
			written.putAll(completeIfLeased(leases.stream().filter((lease) -> !written.containsKey(lease.jobId())).toList(),
					owner));
		}
		return written;
	}

	/**
	 * Records a failed attempt as the retry policy decided it; succeeds only while {@code owner}
	 * holds the unexpired lease.
	 * @return the job's new state, or empty when the lease was lost
	 */
	public Optional<JobState> failIfLeased(Lease lease, String owner, FailedAttempt failure) {
		LeaseTokens tokens = LeaseTokens.of(List.of(lease));
		return guarded(this.failIfLeased, tokens, owner)
			.param("next", failure.next().dbValue())
			.param("retryDelayMillis", failure.retryDelayMillis())
			.param("message", failure.message())
			.param("stack", failure.stackTrace())
			.query((rs, row) -> JobState.fromDbValue(rs.getString("state")))
			.optional();
	}

	/**
	 * Makes the given jobs available again while they run under {@code owner}'s name with these
	 * tokens, whether or not the lease has expired; an attempt that started is not counted.
	 * @return the ids released
	 */
	public List<Long> releaseIfOwned(Collection<Lease> leases, String owner) {
		if (leases.isEmpty()) {
			return List.of();
		}
		LeaseTokens tokens = LeaseTokens.of(leases);
		return guarded(this.releaseIfOwned, tokens, owner)
			.query(Long.class)
			.list();
	}

	/** @return the statement with its leases (ids and id -> token) and owner bound */
	private StatementSpec guarded(String sql, LeaseTokens tokens, String owner) {
		return this.jdbc.sql(sql).param("ids", tokens.ids()).param("tokens", tokens.json()).param("owner", owner);
	}

	/**
	 * For writes retried after an error: which of these leases' jobs are no longer running under them.
	 * @return the state each finished job is in, by id
	 */
	public Map<Long, JobState> finishedUnder(Collection<Lease> leases) {
		return finished(this.finishedUnder, leases);
	}

	/**
	 * {@link #finishedUnder} for completions that delete their rows: a job whose row is gone counts as
	 * completed.
	 * @return the state each finished job is in, by id
	 */
	public Map<Long, JobState> finishedOrGoneUnder(Collection<Lease> leases) {
		return finished(this.finishedOrGoneUnder, leases);
	}

	private Map<Long, JobState> finished(String sql, Collection<Lease> leases) {
		Map<Long, JobState> finished = new HashMap<>();
		if (leases.isEmpty()) {
			return finished;
		}
		LeaseTokens tokens = LeaseTokens.of(leases);
		this.jdbc.sql(sql)
			.param("ids", tokens.ids())
			.param("tokens", tokens.json())
			.query((ResultSet rs) -> {
				finished.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
			});
		return finished;
	}

	/**
	 * For starts retried after an error: which of these leases' jobs already started under them.
	 * @return the attempt each started job counts, by id
	 */
	public Map<Long, Integer> startedUnder(Collection<Lease> leases, String owner) {
		Map<Long, Integer> started = new HashMap<>();
		if (leases.isEmpty()) {
			return started;
		}
		LeaseTokens tokens = LeaseTokens.of(leases);
		guarded(this.startedUnder, tokens, owner)
			.query((ResultSet rs) -> {
				started.put(rs.getLong("id"), rs.getInt("attempt"));
			});
		return started;
	}

}
