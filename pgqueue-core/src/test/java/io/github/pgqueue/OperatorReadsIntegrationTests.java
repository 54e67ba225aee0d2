package io.github.pgqueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reads a dashboard or a CLI shows besides the listing: queue summaries, jobs finished per
 * minute, a job by idempotency key, the dead letter by kind, periodic ticks and lease holders.
 */
class OperatorReadsIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private PgQueue pgQueue;

	private JobOperations operations;

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		db.jdbc().sql("DELETE FROM " + db.schema() + ".pgqueue_queue").update();
		db.jdbc().sql("DELETE FROM " + db.schema() + ".pgqueue_periodic").update();
		this.pgQueue = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build();
		this.operations = this.pgQueue.jobOperations();
	}

	@Test
	void summarisesEachQueueWithWaitingScheduledRunningDeadAndPaused() {
		JobQueue jobs = this.pgQueue.jobQueue();
		jobs.enqueue("a", "1", EnqueueOptions.builder().queue("emails").build());
		jobs.enqueue("a", "2", EnqueueOptions.builder().queue("emails").build());
		jobs.enqueue("a", "3", EnqueueOptions.builder().queue("emails").delay(Duration.ofHours(1)).build());
		JobId running = jobs.enqueue("b", "4", EnqueueOptions.builder().queue("emails").build()).jobId();
		JobId dead = jobs.enqueue("b", "5", EnqueueOptions.builder().queue("reports").build()).jobId();
		setRunning(running, "node-1");
		setDead(dead);
		this.operations.pause("reports");

		List<QueueSummary> summaries = this.operations.queueSummaries(List.of("default"));

		assertThat(summaries).extracting(QueueSummary::queue).containsExactly("default", "emails", "reports");
		QueueSummary emails = summaries.get(1);
		assertThat(emails.waiting()).isEqualTo(2);
		assertThat(emails.scheduled()).isEqualTo(1);
		assertThat(emails.running()).isEqualTo(1);
		assertThat(emails.dead()).isZero();
		assertThat(emails.oldestWaiting()).isNotNull();
		assertThat(emails.paused()).isFalse();
		QueueSummary reports = summaries.get(2);
		assertThat(reports.dead()).isEqualTo(1);
		assertThat(reports.deadCapped()).isFalse();
		assertThat(reports.paused()).isTrue();
		assertThat(summaries.get(0).waiting()).isZero();
	}

	@Test
	void aWaitingCountPastTheCapSaysAtLeastAndTheScheduledOnesStayExact() {
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (queue, kind, max_attempts, run_at)"
				+ " SELECT 'bulk', 'a', 3, now() - interval '1 minute' FROM generate_series(1, :n)")
			.param("n", JobOperations.SUMMARY_CAP + 5)
			.update();
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (queue, kind, max_attempts, run_at)"
				+ " SELECT 'bulk', 'a', 3, now() + interval '1 hour' FROM generate_series(1, 2)")
			.update();

		QueueSummary bulk = this.operations.queueSummaries(List.of()).stream()
			.filter((summary) -> summary.queue().equals("bulk"))
			.findFirst()
			.orElseThrow();

		assertThat(bulk.waiting()).isEqualTo(JobOperations.SUMMARY_CAP);
		assertThat(bulk.capped(bulk.waiting())).isTrue();
		assertThat(bulk.scheduled()).isEqualTo(2);
	}

	@Test
	void countsCompletedAndDeadJobsPerMinuteOfTheWindow() {
		JobQueue jobs = this.pgQueue.jobQueue();
		JobId done = jobs.enqueue("a", "1");
		JobId old = jobs.enqueue("a", "2");
		JobId dead = jobs.enqueue("a", "3");
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'completed', finalized_at = now() WHERE id IN (:ids)")
			.param("ids", List.of(done.value(), old.value()))
			.update();
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET finalized_at = now() - interval '2 hours' WHERE id = :id")
			.param("id", old.value())
			.update();
		setDead(dead);

		List<FinishedPerMinute> minutes = this.operations.finishedPerMinute(60);

		assertThat(minutes).hasSize(60);
		assertThat(minutes).isSortedAccordingTo((a, b) -> a.minute().compareTo(b.minute()));
		assertThat(minutes.stream().mapToLong(FinishedPerMinute::completed).sum()).isEqualTo(1);
		assertThat(minutes.stream().mapToLong(FinishedPerMinute::failed).sum()).isEqualTo(1);
	}

	@Test
	void findsAJobByItsIdempotencyKey() {
		JobId id = this.pgQueue.jobQueue()
			.enqueue("a", "1", EnqueueOptions.builder().idempotencyKey("order:42").build())
			.jobId();

		assertThat(this.operations.findByIdempotencyKey("order:42")).map(JobInfo::id).contains(id);
		assertThat(this.operations.findByIdempotencyKey("order:43")).isEmpty();
	}

	@Test
	void groupsTheDeadLetterByKindMostFirst() {
		JobQueue jobs = this.pgQueue.jobQueue();
		setDead(jobs.enqueue("x", "1"));
		setDead(jobs.enqueue("y", "2"));
		setDead(jobs.enqueue("y", "3"));

		assertThat(this.operations.deadKinds()).extracting(DeadKind::kind, DeadKind::jobs)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("y", 2L), org.assertj.core.groups.Tuple.tuple("x", 1L));
	}

	@Test
	void showsTheLeaseHoldersWithWhatTheyRun() {
		JobQueue jobs = this.pgQueue.jobQueue();
		setRunning(jobs.enqueue("a", "1", EnqueueOptions.builder().queue("q1").build()).jobId(), "node-1");
		setRunning(jobs.enqueue("b", "2", EnqueueOptions.builder().queue("q2").build()).jobId(), "node-1");
		setRunning(jobs.enqueue("c", "3"), "node-2");

		List<LeaseHolder> holders = this.operations.leaseHolders();

		assertThat(holders).extracting(LeaseHolder::owner).containsExactly("node-1", "node-2");
		assertThat(holders.get(0).running()).isEqualTo(2);
		assertThat(holders.get(0).kinds()).containsExactly("a", "b");
		assertThat(holders.get(0).queues()).containsExactly("q1", "q2");
	}

	@Test
	void listsThePeriodicJobsLastTicks() {
		db.jdbc().sql("INSERT INTO " + db.schema() + ".pgqueue_periodic (name, last_tick) VALUES ('nightly', now())")
			.update();

		assertThat(this.operations.periodicTicks()).extracting(PeriodicTick::name).containsExactly("nightly");
	}

	private static void setRunning(JobId id, String owner) {
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'running', lease_owner = :owner, attempt = 1,"
				+ " lease_expires_at = now() + interval '30 seconds' WHERE id = :id")
			.params(Map.of("owner", owner, "id", id.value()))
			.update();
	}

	private static void setDead(JobId id) {
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'dead', finalized_at = now() WHERE id = :id")
			.param("id", id.value())
			.update();
	}

}
