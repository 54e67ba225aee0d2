package io.github.pgqueue.store;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of the side-effect ledger behind {@code JobContext.runOnce}. Internal.
 * <p>
 * Every write is fenced by the job's lease, checked under a {@code FOR SHARE} lock on the job row so
 * that the reaper cannot reclaim the job between the check and the write.
 */
public final class SideEffectStore {

	// A valid lease, locked against a concurrent rescue or claim for the rest of the statement.
	private static final String LEASE_HELD = """
			SELECT 1 FROM {job}
			WHERE id = :id AND attempt = :attempt AND state = 'running' AND lease_owner = :owner
			  AND lease_expires_at > now()
			FOR SHARE
			""";

	// Whether the lease is held, and the step's row if there is one.
	private static final String FIND_STEP = """
			SELECT EXISTS ({leaseHeld}) AS leased, s.state, s.attempt, CAST(s.result AS text) AS result,
			       s.result_type
			FROM (SELECT 1) AS one
			LEFT JOIN {sideEffect} AS s ON s.job_id = :id AND s.key = :key
			""";

	// Marks a step started by this attempt, only under a held lease. A row left 'started' by an
	// earlier attempt is taken over only when :takeOver (retry-in-doubt); a succeeded row never is.
	private static final String START_IF_LEASED = """
			INSERT INTO {sideEffect} AS s (job_id, key, state, attempt, owner)
			SELECT :id, :key, 'started', :attempt, :owner
			WHERE EXISTS ({leaseHeld})
			ON CONFLICT (job_id, key) DO UPDATE
			    SET attempt = EXCLUDED.attempt, owner = EXCLUDED.owner, started_at = now()
			    WHERE s.state = 'started' AND s.attempt <> EXCLUDED.attempt AND :takeOver
			RETURNING 1
			""";

	// Records success of the step this attempt started, only under a held lease.
	private static final String SUCCEED_IF_LEASED = """
			UPDATE {sideEffect}
			SET state = 'succeeded', result = CAST(:result AS jsonb), result_type = :resultType, completed_at = now()
			WHERE job_id = :id AND key = :key AND state = 'started' AND attempt = :attempt AND owner = :owner
			  AND EXISTS ({leaseHeld})
			""";

	// Forgets this attempt's start of a step whose function threw: it did not happen, so it may run again.
	private static final String FORGET_START = """
			DELETE FROM {sideEffect}
			WHERE job_id = :id AND key = :key AND state = 'started' AND attempt = :attempt AND owner = :owner
			""";

	private final JdbcClient jdbc;

	private final String findStep;

	private final String startIfLeased;

	private final String succeedIfLeased;

	private final String forgetStart;

	SideEffectStore(JdbcClient jdbc, Tables tables) {
		this.jdbc = jdbc;
		this.findStep = sql(tables, FIND_STEP);
		this.startIfLeased = sql(tables, START_IF_LEASED);
		this.succeedIfLeased = sql(tables, SUCCEED_IF_LEASED);
		this.forgetStart = sql(tables, FORGET_START);
	}

	private static String sql(Tables tables, String template) {
		return tables.sql(template.replace("{leaseHeld}", LEASE_HELD.strip()));
	}

	/** @return whether the lease is held, and the step as recorded so far */
	public StepLookup findStep(Lease lease, String owner, String key) {
		return this.jdbc.sql(this.findStep)
			.param("id", lease.jobId())
			.param("attempt", lease.attempt())
			.param("owner", owner)
			.param("key", key)
			.query((rs, row) -> {
				String state = rs.getString("state");
				Step step = (state != null) ? new Step(state.equals("succeeded"), rs.getInt("attempt"),
						rs.getString("result"), rs.getString("result_type")) : null;
				return new StepLookup(rs.getBoolean("leased"), Optional.ofNullable(step));
			})
			.single();
	}

	/**
	 * Marks the step started by this attempt; succeeds only while {@code owner} holds the lease.
	 * @return whether it was marked
	 */
	public boolean startIfLeased(Lease lease, String owner, String key, boolean takeOver) {
		return this.jdbc.sql(this.startIfLeased)
			.param("id", lease.jobId())
			.param("attempt", lease.attempt())
			.param("owner", owner)
			.param("key", key)
			.param("takeOver", takeOver)
			.query(Integer.class)
			.optional()
			.isPresent();
	}

	/**
	 * Records the step's success; succeeds only while {@code owner} holds the lease.
	 * @return whether it was recorded
	 */
	public boolean succeedIfLeased(Lease lease, String owner, String key, String resultJson,
			@Nullable String resultType) {
		return this.jdbc.sql(this.succeedIfLeased)
			.param("id", lease.jobId())
			.param("attempt", lease.attempt())
			.param("owner", owner)
			.param("key", key)
			.param("result", resultJson)
			.param("resultType", resultType, java.sql.Types.VARCHAR)
			.update() == 1;
	}

	/** Forgets this attempt's start of the step. */
	public void forgetStart(Lease lease, String owner, String key) {
		this.jdbc.sql(this.forgetStart)
			.param("id", lease.jobId())
			.param("attempt", lease.attempt())
			.param("owner", owner)
			.param("key", key)
			.update();
	}

	/**
	 * @param leased whether the caller holds the lease
	 * @param step the step's row, if any
	 */
	public record StepLookup(boolean leased, Optional<Step> step) {
	}

	/**
	 * @param succeeded whether its success was recorded
	 * @param attempt the attempt that started it
	 * @param result its result as JSON, once succeeded
	 * @param resultType the class of its result, once succeeded with one
	 */
	public record Step(boolean succeeded, int attempt, @Nullable String result, @Nullable String resultType) {
	}

}
