package io.github.pgqueue.execute;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.pgqueue.JobState;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.StartedJob;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start handed to the writer may commit, so the handler's thread waits for its outcome whatever
 * interrupts it: a wait cut short would leave a started job that no one runs.
 */
class LeaseWritesIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Test
	void anInterruptedThreadStillWaitsForItsStartAndKeepsItsInterrupt() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, max_attempts) VALUES ('k', '{}', 25)").update();
		JobStore store = new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build());
		List<ClaimedJob> claimed = store.claims().claimAvailable("default", List.of("k"), 1, "w", 60_000, 60_000);
		assertThat(claimed).hasSize(1);
		InFlightJob job = new InFlightJob(claimed.get(0), System.nanoTime() + Duration.ofMinutes(1).toNanos(), () -> {
		});
		LeaseWrites writes = new LeaseWrites(store.leases(), "w", false, (completion, state) -> {
		}, (rejected) -> {
		});
		writes.start();
		try {
			Thread.currentThread().interrupt();
			Optional<StartedJob> started = writes.start(job);
			assertThat(Thread.interrupted()).as("the interrupt kept for the caller").isTrue();
			assertThat(started).hasValueSatisfying((found) -> {
				assertThat(found.state()).isEqualTo(JobState.RUNNING);
				assertThat(found.attempt()).isEqualTo(1);
			});
		}
		finally {
			Thread.interrupted();
			writes.stop(System.nanoTime() + Duration.ofSeconds(5).toNanos());
		}
	}

}
