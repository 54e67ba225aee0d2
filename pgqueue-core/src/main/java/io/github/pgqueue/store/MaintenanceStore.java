package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.pgqueue.JobState;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of maintenance, run by every node's reaper: rescuing jobs whose lease expired and
 * pruning finished jobs past their retention, each in batches that skip rows another node holds.
 * Internal.
 */
public final class MaintenanceStore {

	// Locks one batch of running jobs whose lease expired; SKIP LOCKED lets every node's reaper run.
	static final String LOCK_EXPIRED = """
			SELECT id, attempt, max_attempts, started_at IS NOT NULL AS started,
			       cancel_requested_at IS NOT NULL AS cancel_requested
			FROM {job}
			WHERE state = 'running' AND lease_expires_at < now()
			ORDER BY lease_expires_at
			LIMIT :limit
			FOR UPDATE SKIP LOCKED
			""";

	// Writes the reaper's decisions (id -> {state, delay}) on the jobs it locked. A job whose handler
	// ran records the lost attempt in its errors; one that never started keeps its run_at, taking its
	// old place in line rather than waiting behind everything enqueued while it was lost.
	static final String RESCUE_EXPIRED = """
			UPDATE {job} AS j
			SET state = {decision} ->> 'state',
			    run_at = CASE WHEN CAST({decision} ->> 'delay' AS bigint) >= 0
			                  THEN now() + CAST({decision} ->> 'delay' AS bigint) * interval '1 millisecond'
			                  ELSE j.run_at END,
			    finalized_at = CASE WHEN {decision} ->> 'state' <> 'available' THEN now() END,
			    errors = CASE WHEN j.started_at IS NULL THEN j.errors ELSE j.errors || jsonb_build_array(jsonb_build_object(
			        'attempt', j.attempt, 'at', {utcNow},
			        'message', 'lease expired: worker ' || j.lease_owner || ' stopped renewing it while the handler ran',
			        'stack', '')) END,
			    lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
			WHERE j.id = ANY(CAST(:ids AS bigint[])) AND j.state = 'running' AND j.lease_expires_at < now()
			RETURNING j.id, j.state
			""".replace("{decision}", "((SELECT CAST(:decisions AS jsonb)) -> CAST(j.id AS text))");

	// Deletes one batch of finished jobs of one state past its retention.
	static final String PRUNE_FINISHED = """
			DELETE FROM {job}
			WHERE id IN (
			    SELECT id FROM {job}
			    WHERE state = :state AND finalized_at IS NOT NULL
			      AND finalized_at < now() - :retentionMillis * interval '1 millisecond'
			    LIMIT :limit
			    FOR UPDATE SKIP LOCKED
			)
			""";

	private final JdbcClient jdbc;

	private final String lockExpired;

	private final String rescueExpired;

	private final TransactionTemplate transactions;

	private final String pruneFinished;

	MaintenanceStore(JdbcClient jdbc, Tables tables, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.lockExpired = tables.sql(LOCK_EXPIRED);
		this.rescueExpired = tables.sql(RESCUE_EXPIRED);
		this.pruneFinished = tables.sql(PRUNE_FINISHED);
	}

	/**
	 * Reclaims one batch of jobs whose lease expired, in one transaction: locks them, asks
	 * {@code decide} what each becomes, and writes that.
	 * @return the state each rescued job was moved to, by id
	 */
	public Map<Long, JobState> rescueExpired(int limit, Function<ExpiredJob, Rescue> decide) {
		Map<Long, JobState> rescued = new HashMap<>();
		this.transactions.executeWithoutResult((status) -> {
			List<ExpiredJob> expired = this.jdbc.sql(this.lockExpired)
				.param("limit", limit)
				.query((rs, row) -> new ExpiredJob(rs.getLong("id"), rs.getInt("attempt"), rs.getInt("max_attempts"),
						rs.getBoolean("started"), rs.getBoolean("cancel_requested")))
				.list();
			if (expired.isEmpty()) {
				return;
			}
			StringBuilder decisions = new StringBuilder(expired.size() * 40).append('{');
			for (ExpiredJob job : expired) {
				Rescue rescue = decide.apply(job);
				decisions.append((decisions.length() > 1) ? ",\"" : "\"")
					.append(job.id())
					.append("\":{\"state\":\"")
					.append(rescue.next().dbValue())
					.append("\",\"delay\":")
					.append(rescue.delayMillis())
					.append('}');
			}
			this.jdbc.sql(this.rescueExpired)
				.param("ids", expired.stream().map(ExpiredJob::id).toArray(Long[]::new))
				.param("decisions", decisions.append('}').toString())
				.query((ResultSet rs) -> {
					rescued.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
				});
		});
		return rescued;
	}

	/**
	 * Deletes one batch of jobs in a final state past their retention.
	 * @return the number deleted
	 */
	public int pruneFinished(JobState state, long retentionMillis, int limit) {
		return this.jdbc.sql(this.pruneFinished)
			.param("state", state.dbValue())
			.param("retentionMillis", retentionMillis)
			.param("limit", limit)
			.update();
	}

}
