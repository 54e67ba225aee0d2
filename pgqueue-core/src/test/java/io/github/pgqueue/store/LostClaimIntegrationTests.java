package io.github.pgqueue.store;

import java.util.List;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A claim commits without waiting for the disk, so a crash of PostgreSQL right after it may lose it
 * while its worker, which had its reply, goes on holding the job. The row is then as it was before
 * the claim: available, with the token before the claim's. When the same worker claims the job
 * again, the new lease must not be the lost one: a write the worker still makes under the lost lease
 * (the handler it started meanwhile) must be refused. The row a crash leaves is made here by hand.
 */
class LostClaimIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private JobStore store;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		this.store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	@Test
	void aClaimLostWithTheDatabaseNeverLeasesTheJobAgainUnderTheSameToken() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) VALUES ('k', '{}', 25)").update();
		Lease lost = claimOne();
		assertThat(this.store.leases().startIfLeased(List.of(lost), "w")).containsKey(lost.jobId());
		// the claim and the start lost: the row as it was before the claim
		int undone = db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'available', lease_token = :before,"
				+ " lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, attempt = attempt - 1"
				+ " WHERE id = :id")
			.param("before", lost.token() - 1)
			.param("id", lost.jobId())
			.update();
		assertThat(undone).isOne();

		Lease again = claimOne();

		assertThat(again.token()).as("the token of the claim after the lost one").isGreaterThan(lost.token());
		assertThat(this.store.leases().completeIfLeased(List.of(lost), "w")).as("completion under the lost lease")
			.isEmpty();
		assertThat(this.store.leases().startIfLeased(List.of(again), "w")).containsKey(again.jobId());
		assertThat(this.store.leases().completeIfLeased(List.of(again), "w")).containsKey(again.jobId());
	}

	@Test
	void aJobClaimedAgainAndAgainTakesAGreaterTokenEachTime() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) VALUES ('k', '{}', 25)").update();
		long previous = -1;
		for (int i = 0; i < 5; i++) {
			Lease lease = claimOne();
			assertThat(lease.token()).isGreaterThan(previous);
			previous = lease.token();
			assertThat(this.store.leases().releaseIfOwned(List.of(lease), "w")).hasSize(1);
		}
	}

	private Lease claimOne() {
		List<ClaimedJob> claimed = this.store.claims().claimAvailable("default", List.of("k"), 1, "w", 30_000, 60_000);
		assertThat(claimed).hasSize(1);
		return claimed.get(0).lease();
	}

}
