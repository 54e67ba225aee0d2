package io.github.pgqueue.guarantees;

import java.util.List;

import io.github.pgqueue.JobId;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fencing token only grows: a worker id that claims the same job again (a restart in the same
 * process, a released job claimed back) never recreates an earlier lease, so a late write made
 * under the earlier one is rejected, and a release is itself fenced.
 */
class FencingIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final JobStore store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());

	@Test
	void aLateCompletionUnderAReleasedLeaseIsRejectedWhenTheSameOwnerClaimedTheJobAgain() {
		JobId id = enqueue();
		ClaimedJob first = claim("w");
		assertThat(this.store.leases().releaseIfOwned(List.of(first.lease()), "w")).containsExactly(first.id());
		ClaimedJob second = claim("w");
		assertThat(second.id()).isEqualTo(id.value());
		assertThat(this.store.leases().completeIfLeased(List.of(first.lease()), "w")).as("late completion of the first lease")
			.isEmpty();
		assertThat(this.store.leases().completeIfLeased(List.of(second.lease()), "w")).containsKey(id.value());
	}

	@Test
	void aReleaseUnderAStaleLeaseReleasesNothing() {
		enqueue();
		ClaimedJob first = claim("w");
		this.store.leases().releaseIfOwned(List.of(first.lease()), "w");
		ClaimedJob second = claim("w");
		assertThat(this.store.leases().releaseIfOwned(List.of(first.lease()), "w")).as("release of the first, stale, lease")
			.isEmpty();
		assertThat(db.countJobs("running")).isEqualTo(1);
		assertThat(this.store.leases().completeIfLeased(List.of(second.lease()), "w")).hasSize(1);
	}

	private JobId enqueue() {
		db.deleteAllJobs();
		return PgQueue.builder(db.dataSource()).settings(db.settings().build()).build().jobQueue().enqueue("fenced", "x");
	}

	private ClaimedJob claim(String owner) {
		List<ClaimedJob> claimed = this.store.claims().claimAvailable("default", List.of("fenced"), 1, owner, 60_000, 60_000);
		assertThat(claimed).hasSize(1);
		return claimed.get(0);
	}

}
