package io.github.pgqueue.store;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures {@link PoolerDiagnosis} recognises as prepared statements meeting a transaction pooler. */
class PoolerDiagnosisTests {

	private final SQLExceptionTranslator translated = (task, sql, ex) -> new DataIntegrityViolationException(task, ex);

	@Test
	void recognisesTheThreeWaysANamedStatementMeetsAnotherServerConnection() {
		assertThat(PoolerDiagnosis.isPreparedStatementMismatch(
				new SQLException("ERROR: prepared statement \"S_1\" already exists", "42P05"))).isTrue();
		assertThat(PoolerDiagnosis.isPreparedStatementMismatch(
				new SQLException("ERROR: prepared statement \"S_3\" does not exist", "26000"))).isTrue();
		assertThat(PoolerDiagnosis.isPreparedStatementMismatch(new SQLException(
				"ERROR: bind message supplies 9 parameters, but prepared statement \"S_3\" requires 5", "08P01")))
			.isTrue();
	}

	@Test
	void leavesOtherFailuresAlone() {
		assertThat(PoolerDiagnosis.isPreparedStatementMismatch(
				new SQLException("ERROR: duplicate key value violates unique constraint", "23505"))).isFalse();
		assertThat(PoolerDiagnosis.isPreparedStatementMismatch(
				new SQLException("ERROR: invalid frontend message type 0", "08P01"))).isFalse();
		assertThat(PoolerDiagnosis.isPreparedStatementMismatch(new SQLException("I/O error", (String) null)))
			.isFalse();
	}

	@Test
	void keepsTheFirstProblemAndStillTranslatesEveryFailure() {
		PoolerDiagnosis diagnosis = new PoolerDiagnosis(this.translated);
		SQLException duplicate = new SQLException("ERROR: prepared statement \"S_1\" already exists", "42P05");

		assertThat(diagnosis.translate("claim", "SELECT 1", duplicate)).hasCause(duplicate);
		diagnosis.translate("claim", "SELECT 1", new SQLException("ERROR: prepared statement \"S_2\" does not exist",
				"26000"));
		diagnosis.translate("claim", "SELECT 1", new SQLException("ERROR: deadlock detected", "40P01"));

		assertThat(diagnosis.failures()).isEqualTo(2);
		assertThat(diagnosis.problem()).hasValueSatisfying((problem) -> assertThat(problem)
			.contains("\"S_1\" already exists", "SQLSTATE 42P05", "prepareThreshold=0", "max_prepared_statements"));
	}

	@Test
	void seesTheCauseWhenTheDriverWrapsIt() {
		PoolerDiagnosis diagnosis = new PoolerDiagnosis(this.translated);
		SQLException wrapped = new SQLException("batch entry 0 failed", "08P01",
				new SQLException("ERROR: prepared statement \"S_1\" already exists", "42P05"));
		diagnosis.translate("complete", null, wrapped);
		assertThat(diagnosis.problem()).isPresent();
	}

	@Test
	void seesANextExceptionOfABatch() {
		PoolerDiagnosis diagnosis = new PoolerDiagnosis(this.translated);
		SQLException batch = new SQLException("Batch entry 0 was aborted", "08P01");
		batch.setNextException(new SQLException("ERROR: prepared statement \"S_4\" does not exist", "26000"));
		diagnosis.translate("complete", null, batch);
		assertThat(diagnosis.problem()).hasValueSatisfying((problem) -> assertThat(problem).contains("S_4"));
	}

}
