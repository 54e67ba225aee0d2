package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import io.github.pgqueue.JobState;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of maintenance, run by every node's reaper: rescuing jobs whose lease expired and
 * pruning finished jobs past their retention, each in batches that skip rows another node holds.
 * Internal.
 */
public final class MaintenanceStore {

	// Reclaims jobs whose lease expired, in one batch; SKIP LOCKED lets every node's reaper run. The
	// lost attempt counts as a failure: dead when it was the last. run_at is kept, so a rescued job
	// takes its old place in line rather than waiting behind everything enqueued while it was lost.
	static final String RESCUE_EXPIRED = """
			WITH expired AS (
			    SELECT id FROM {job}
			    WHERE state = 'running' AND lease_expires_at < now()
			    ORDER BY lease_expires_at
			    LIMIT :limit
			    FOR UPDATE SKIP LOCKED
			)
			UPDATE {job} AS j
			SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
			                 WHEN j.attempt >= j.max_attempts THEN 'dead'
			                 ELSE 'available' END,
			    finalized_at = CASE WHEN j.cancel_requested_at IS NOT NULL OR j.attempt >= j.max_attempts
			                        THEN now() END,
			    errors = j.errors || jsonb_build_array(jsonb_build_object(
			        'attempt', j.attempt, 'at', {utcNow},
			        'message', 'lease expired: worker ' || j.lease_owner || ' stopped renewing it', 'stack', '')),
			    lease_owner = NULL, lease_expires_at = NULL
			WHERE j.id = ANY(ARRAY(SELECT id FROM expired))
			RETURNING j.id, j.state
			""";

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

	private final String rescueExpired;

	private final String pruneFinished;

	MaintenanceStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.rescueExpired = tables.sql(RESCUE_EXPIRED);
		this.pruneFinished = tables.sql(PRUNE_FINISHED);
	}

	/**
	 * Reclaims one batch of jobs whose lease expired.
	 * @return the state each rescued job was moved to, by id
	 */
	public Map<Long, JobState> rescueExpired(int limit) {
		Map<Long, JobState> rescued = new HashMap<>();
		this.jdbc.sql(this.rescueExpired).param("limit", limit).query((ResultSet rs) -> {
			rescued.put(rs.getLong("id"), JobState.fromDbValue(rs.getString("state")));
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
