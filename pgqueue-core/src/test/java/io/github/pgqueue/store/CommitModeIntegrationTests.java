package io.github.pgqueue.store;

import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims and starts commit without waiting for their WAL to reach the disk; completions wait.
 * Each write runs here in a transaction of the test's, which then reads the commit mode the write
 * left for the commit ({@code synchronous_commit} as the transaction's own setting: the statement's
 * implicit transaction, in autocommit, gets the same).
 */
class CommitModeIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final int JOBS = 40;

	@Test
	void claimsAndStartsDoNotWaitForTheDiskAndCompletionsDo() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) SELECT 'k', '{}', 25"
				+ " FROM generate_series(1, " + JOBS + ")").update();
		SingleConnectionDataSource connection = new SingleConnectionDataSource(TestDatabase.jdbcUrl(),
				TestDatabase.sharedDataSource().getUsername(), TestDatabase.sharedDataSource().getPassword(), true);
		try {
			JdbcClient jdbc = JdbcClient.create(connection);
			TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(connection));
			JobStore store = new JobStore(connection, db.schema(), JsonMapper.builder().build());
			// each write in a transaction of the test's, to read the commit mode it leaves for its commit
			List<Lease> leases = transaction.execute((status) -> {
				List<ClaimedJob> claimed = store.claims().claimAvailable("default", List.of("k"), JOBS, "w", 30_000, 60_000);
				assertThat(commitMode(jdbc)).as("after a claim").isEqualTo("off");
				return claimed.stream().map(ClaimedJob::lease).toList();
			});
			assertThat(leases).hasSize(JOBS);
			assertThat(commitMode(jdbc)).as("after the claim's transaction").isEqualTo("on");
			transaction.executeWithoutResult((status) -> {
				assertThat(store.leases().startIfLeased(leases, "w")).hasSize(JOBS);
				assertThat(commitMode(jdbc)).as("after a start").isEqualTo("off");
			});
			assertThat(commitMode(jdbc)).as("after the start's transaction").isEqualTo("on");
			transaction.executeWithoutResult((status) -> {
				assertThat(store.leases().completeIfLeased(leases, "w")).hasSize(JOBS);
				assertThat(commitMode(jdbc)).as("after a completion").isEqualTo("on");
			});
		}
		finally {
			connection.destroy();
		}
	}

	private static String commitMode(JdbcClient jdbc) {
		return jdbc.sql("SHOW synchronous_commit").query(String.class).single();
	}

}
