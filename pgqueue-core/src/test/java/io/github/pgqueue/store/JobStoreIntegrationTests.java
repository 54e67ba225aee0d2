package io.github.pgqueue.store;

import java.util.List;
import java.util.Map;

import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guards and the order of {@link JobStore}'s hot statements, at the level of the statements: the
 * attempt fences a completion even when the owner is the same (a worker restarted under the same
 * id), and a claim hands its jobs over in the order it chose them.
 */
class JobStoreIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final long LEASE_MILLIS = 30_000;

	private static final long AGING_MILLIS = 60_000;

	private static JobStore store;

	@BeforeAll
	static void createStore() {
		store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
	}

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
	}

	@Test
	void aCompletionUnderAnEarlierLeaseIsRejectedEvenFromTheSameOwner() {
		long id = insert(0, "0 seconds");
		ClaimedJob first = claim(1).get(0);
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET lease_expires_at = now() - interval '1 second'").update();
		assertThat(store.maintenance().rescueExpired(10, (job) -> Rescue.keepPlace())).containsEntry(id, JobState.AVAILABLE);
		ClaimedJob second = claim(1).get(0);
		assertThat(second.token()).isGreaterThan(first.token());

		assertThat(store.leases().completeIfLeased(List.of(first.lease()), "w")).as("the lost attempt's late completion")
			.isEmpty();
		assertThat(store.leases().completeIfLeased(List.of(second.lease()), "w")).isEqualTo(Map.of(id, JobState.COMPLETED));
	}

	@Test
	void aClaimReturnsItsJobsInTheOrderItChoseThemByAgedPriority() {
		long fresh = insert(1, "0 seconds");
		// five aging steps behind its run_at: priority 0 + 5 beats priority 1 + 0
		long aged = insert(0, "5 minutes 1 second");
		long freshLow = insert(0, "0 seconds");

		assertThat(claim(3)).extracting(ClaimedJob::id).containsExactly(aged, fresh, freshLow);
	}

	// the aging lane visits every priority present below the top one, each through the claim index
	@Test
	void aClaimFindsTheAgedJobsOfEveryLowerPriority() {
		List<Long> top = new java.util.ArrayList<>();
		for (int i = 0; i < 4; i++) {
			top.add(insert(9, "0 seconds"));
		}
		insert(5, "0 seconds");
		long agedMiddle = insert(4, "6 minutes 1 second");
		insert(2, "0 seconds");
		long agedBottom = insert(0, "12 minutes 1 second");
		insert(0, "1 minute");

		// aged priorities: 12 and 10 beat the four fresh 9s, which beat everything else
		assertThat(claim(2)).extracting(ClaimedJob::id).containsExactly(agedBottom, agedMiddle);
		assertThat(claim(4)).extracting(ClaimedJob::id).containsExactlyElementsOf(top);
	}

	// both lanes: a worker claims only kinds it has handlers for, and nothing from a paused queue
	@Test
	void aClaimTakesNoJobOfAnotherKindNorAnyFromAPausedQueueInEitherLane() {
		insert(9, "0 seconds", "other");
		insert(0, "12 minutes 1 second", "other");
		assertThat(claim(5)).as("jobs of kinds without a handler, fresh and aged").isEmpty();

		long fresh = insert(9, "0 seconds", "k");
		long aged = insert(0, "12 minutes 1 second", "k");
		store.queues().setQueuePaused("default", true);
		try {
			assertThat(claim(5)).as("a paused queue's jobs, fresh and aged").isEmpty();
		}
		finally {
			store.queues().setQueuePaused("default", false);
		}
		assertThat(claim(5)).extracting(ClaimedJob::id).containsExactly(aged, fresh);
	}

	private static List<ClaimedJob> claim(int limit) {
		return store.claims().claimAvailable("default", List.of("k"), limit, "w", LEASE_MILLIS, AGING_MILLIS);
	}

	private static long insert(int priority, String waited) {
		return insert(priority, waited, "k");
	}

	private static long insert(int priority, String waited, String kind) {
		return db.jdbc().sql("""
				INSERT INTO %s (kind, priority, max_attempts, run_at)
				VALUES (:kind, :priority, 3, now() - CAST(:waited AS interval))
				RETURNING id
				""".formatted(db.jobTable()))
			.param("kind", kind)
			.param("priority", priority)
			.param("waited", waited)
			.query(Long.class)
			.single();
	}

}
