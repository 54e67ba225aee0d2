package io.github.pgqueue.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Recognises a statement that failed because the JDBC driver's server-side prepared statements met a
 * connection pooler in transaction mode (PgBouncer before 1.21, or later without
 * {@code max_prepared_statements}): consecutive transactions of one client connection run on
 * different server connections, so the driver's named statement ({@code S_1}, ...) is missing there
 * ({@code 26000}), already taken by another client's ({@code 42P05}), or another statement
 * altogether ({@code 08P01} "bind message supplies N parameters, but prepared statement ... requires M").
 * <p>
 * Sits in front of the store's exception translator, so that every path (enqueue, claim, ledger,
 * complete, fail, heartbeat) is covered: the first such failure logs one WARN that says what to set;
 * {@link #problem()} keeps it for the health indicator. The failure itself is translated and thrown
 * as before.
 */
public final class PoolerDiagnosis implements SQLExceptionTranslator {

	private static final Logger logger = LoggerFactory.getLogger(PoolerDiagnosis.class);

	/** What the log and the health detail say to do. */
	public static final String ADVICE = "set prepareThreshold=0 in the JDBC URL (PgBouncer before 1.21), or "
			+ "max_prepared_statements in pgbouncer.ini (PgBouncer 1.21 and later); see the README's PgBouncer section";

	private final SQLExceptionTranslator delegate;

	private final AtomicReference<@Nullable String> problem = new AtomicReference<>();

	private final AtomicLong failures = new AtomicLong();

	PoolerDiagnosis(SQLExceptionTranslator delegate) {
		this.delegate = delegate;
	}

	@Override
	public @Nullable DataAccessException translate(String task, @Nullable String sql, SQLException ex) {
		diagnose(ex);
		return this.delegate.translate(task, sql, ex);
	}

	/**
	 * @return what failed and what to set, once a statement failed for this reason
	 */
	public Optional<String> problem() {
		return Optional.ofNullable(this.problem.get());
	}

	/** @return how many statements failed for this reason */
	public long failures() {
		return this.failures.get();
	}

	void diagnose(SQLException ex) {
		SQLException mismatch = find(ex);
		if (mismatch == null) {
			return;
		}
		this.failures.incrementAndGet();
		String problem = "statements fail behind a connection pooler in transaction mode (" + mismatch.getMessage()
				+ ", SQLSTATE " + mismatch.getSQLState() + "): " + ADVICE;
		if (this.problem.compareAndSet(null, Instant.now() + ": " + problem)) {
			logger.warn("pgqueue: {}. Jobs and submissions fail until then.", problem);
		}
	}

	// the driver chains a batch's failures as next exceptions, and wraps some as causes
	private static @Nullable SQLException find(@Nullable Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				if (isPreparedStatementMismatch(sql)) {
					return sql;
				}
				SQLException next = sql.getNextException();
				SQLException found = (next != null && next != sql) ? find(next) : null;
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	/**
	 * @return whether PostgreSQL refused the statement because the server connection's named prepared
	 * statements are not the ones the client connection created
	 */
	static boolean isPreparedStatementMismatch(SQLException ex) {
		String state = ex.getSQLState();
		String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
		if ("42P05".equals(state) || "26000".equals(state)) {
			// duplicate_prepared_statement, invalid_sql_statement_name
			return message.contains("prepared statement");
		}
		// protocol_violation: the Bind of one statement reached another of the same name
		return "08P01".equals(state) && message.contains("bind message");
	}

}
