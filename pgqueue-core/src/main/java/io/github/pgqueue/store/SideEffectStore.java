package io.github.pgqueue.store;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of the side-effect ledger behind {@code JobContext.runOnce}. Internal.
 * <p>
 * Every write is fenced by the job's lease (owner and token), checked under a {@code FOR SHARE} lock
 * on the job row so that the reaper cannot reclaim the job between the check and the write. Every
 * statement runs in a short transaction of its own on a connection of its own, never in the
 * handler's: a handler's transaction that rolls back cannot erase a recorded success, and one that
 * stays open cannot hold the job row's lock against the heartbeat.
 */
public final class SideEffectStore {

	// A valid lease, locked against a concurrent rescue or claim for the rest of the statement.
	private static final String LEASE_HELD = """
			SELECT 1 FROM {job}
			WHERE id = :id AND lease_token = :token AND state = 'running' AND lease_owner = :owner
			  AND lease_expires_at > now()
			FOR SHARE
			""";

	// Whether the lease is held, and the step's row if there is one.
	private static final String FIND_STEP = """
			SELECT EXISTS ({leaseHeld}) AS leased, s.state, s.attempt, s.lease_token, CAST(s.result AS text) AS result,
			       s.result_type
			FROM (SELECT 1) AS one
			LEFT JOIN {sideEffect} AS s ON s.job_id = :id AND s.key = :key
			""";

	// Marks a step started under this lease, only while it is held. A row left 'started' under an
	// earlier lease is taken over only when :takeOver (retry-in-doubt); a succeeded row never is.
	private static final String START_IF_LEASED = """
			INSERT INTO {sideEffect} AS s (job_id, key, state, attempt, owner, lease_token)
			SELECT :id, :key, 'started', :attempt, :owner, :token
			WHERE EXISTS ({leaseHeld})
			ON CONFLICT (job_id, key) DO UPDATE
			    SET attempt = EXCLUDED.attempt, owner = EXCLUDED.owner, lease_token = EXCLUDED.lease_token,
			        started_at = now()
			    WHERE s.state = 'started' AND s.lease_token IS DISTINCT FROM EXCLUDED.lease_token AND :takeOver
			RETURNING 1
			""";

	// Records success of the step this attempt started, only under a held lease.
	private static final String SUCCEED_IF_LEASED = """
			UPDATE {sideEffect}
			SET state = 'succeeded', result = CAST(:result AS jsonb), result_type = :resultType, completed_at = now()
			WHERE job_id = :id AND key = :key AND state = 'started' AND lease_token = :token AND owner = :owner
			  AND EXISTS ({leaseHeld})
			""";

	// Forgets this lease's start of a step whose function threw: it did not happen, so it may run again.
	private static final String FORGET_START = """
			DELETE FROM {sideEffect}
			WHERE job_id = :id AND key = :key AND state = 'started' AND lease_token = :token AND owner = :owner
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate ownTransaction;

	private final String findStep;

	private final String startIfLeased;

	private final String succeedIfLeased;

	private final String forgetStart;

	SideEffectStore(DataSource dataSource, Tables tables) {
		DataSource own = ownConnections(dataSource);
		this.jdbc = JdbcClient.create(own);
		this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(own));
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.findStep = sql(tables, FIND_STEP);
		this.startIfLeased = sql(tables, START_IF_LEASED);
		this.succeedIfLeased = sql(tables, SUCCEED_IF_LEASED);
		this.forgetStart = sql(tables, FORGET_START);
	}

	/**
	 * A view of the DataSource that no transaction of the caller's thread is bound to (Spring binds a
	 * transaction's connection to the DataSource object as its key), so that every statement here
	 * takes a connection of its own from the same pool.
	 */
	private static DataSource ownConnections(DataSource dataSource) {
		DataSource target = dataSource;
		while (target instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
			target = proxy.getTargetDataSource();
		}
		return new DelegatingDataSource(target);
	}

	private <T> T inOwnTransaction(java.util.function.Supplier<T> statement) {
		T result = this.ownTransaction.execute((status) -> statement.get());
		return java.util.Objects.requireNonNull(result);
	}

	private static String sql(Tables tables, String template) {
		return tables.sql(template.replace("{leaseHeld}", LEASE_HELD.strip()));
	}

	/** @return whether the lease is held, and the step as recorded so far */
	public StepLookup findStep(Lease lease, String owner, String key) {
		return inOwnTransaction(() -> this.jdbc.sql(this.findStep)
			.param("id", lease.jobId())
			.param("token", lease.token())
			.param("owner", owner)
			.param("key", key)
			.query((rs, row) -> {
				String state = rs.getString("state");
				Step step = (state != null) ? new Step(state.equals("succeeded"), rs.getInt("attempt"),
						rs.getLong("lease_token"), rs.getString("result"), rs.getString("result_type")) : null;
				return new StepLookup(rs.getBoolean("leased"), Optional.ofNullable(step));
			})
			.single());
	}

	/**
	 * Marks the step started by this attempt; succeeds only while {@code owner} holds the lease.
	 * @return whether it was marked
	 */
	public boolean startIfLeased(Lease lease, int attempt, String owner, String key, boolean takeOver) {
		return inOwnTransaction(() -> this.jdbc.sql(this.startIfLeased)
			.param("id", lease.jobId())
			.param("token", lease.token())
			.param("attempt", attempt)
			.param("owner", owner)
			.param("key", key)
			.param("takeOver", takeOver)
			.query(Integer.class)
			.optional()
			.isPresent());
	}

	/**
	 * Records the step's success; succeeds only while {@code owner} holds the lease.
	 * @return whether it was recorded
	 */
	public boolean succeedIfLeased(Lease lease, String owner, String key, String resultJson,
			@Nullable String resultType) {
		return inOwnTransaction(() -> this.jdbc.sql(this.succeedIfLeased)
			.param("id", lease.jobId())
			.param("token", lease.token())
			.param("owner", owner)
			.param("key", key)
			.param("result", resultJson)
			.param("resultType", resultType, java.sql.Types.VARCHAR)
			.update() == 1);
	}

	/** Forgets this attempt's start of the step. */
	public void forgetStart(Lease lease, String owner, String key) {
		inOwnTransaction(() -> this.jdbc.sql(this.forgetStart)
			.param("id", lease.jobId())
			.param("token", lease.token())
			.param("owner", owner)
			.param("key", key)
			.update());
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
	 * @param token the lease it was started under
	 * @param result its result as JSON, once succeeded
	 * @param resultType the class of its result, once succeeded with one
	 */
	public record Step(boolean succeeded, int attempt, long token, @Nullable String result, @Nullable String resultType) {
	}

}
