package io.github.pgqueue;

import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link JobOperations#list}: jobs newest first, filtered by state, queue and kind, in keyset pages
 * that neither skip nor repeat a job when jobs are enqueued between two pages.
 */
class JobOperationsIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private PgQueue pgQueue;

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		this.pgQueue = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build();
	}

	@Test
	void listsJobsNewestFirstInKeysetPagesOfOneKindAndQueue() {
		JobQueue jobs = this.pgQueue.jobQueue();
		List<JobId> wanted = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			wanted.add(jobs.enqueue("a", "a-" + i, EnqueueOptions.builder().queue("q1").build()).jobId());
			jobs.enqueue("b", "b-" + i, EnqueueOptions.builder().queue("q1").build());
			jobs.enqueue("a", "other-queue-" + i, EnqueueOptions.builder().queue("q2").build());
		}
		JobOperations operations = this.pgQueue.jobOperations();

		JobPage first = operations.list(JobListing.newest(2).queue("q1").kind("a"));
		assertThat(first.jobs()).extracting(JobInfo::id).containsExactly(wanted.get(4), wanted.get(3));
		// enqueued between two pages: newer than the cursor, so it never shifts the next page
		jobs.enqueue("a", "late", EnqueueOptions.builder().queue("q1").build());
		JobPage second = operations.list(first.next().orElseThrow());
		assertThat(second.jobs()).extracting(JobInfo::id).containsExactly(wanted.get(2), wanted.get(1));
		JobPage last = operations.list(second.next().orElseThrow());
		assertThat(last.jobs()).extracting(JobInfo::id).containsExactly(wanted.get(0));
		assertThat(last.next()).isEmpty();
	}

	@Test
	void listsJobsOfOneState() {
		JobQueue jobs = this.pgQueue.jobQueue();
		JobId cancelled = jobs.enqueue("a", "x");
		JobId available = jobs.enqueue("a", "y");
		jobs.cancel(cancelled);
		JobOperations operations = this.pgQueue.jobOperations();

		assertThat(operations.list(JobListing.newest(10).state(JobState.CANCELLED)).jobs()).extracting(JobInfo::id)
			.containsExactly(cancelled);
		assertThat(operations.list(JobListing.newest(10).state(JobState.AVAILABLE)).jobs()).extracting(JobInfo::id)
			.containsExactly(available);
		assertThat(operations.list(JobListing.newest(10)).jobs()).extracting(JobInfo::id)
			.containsExactly(available, cancelled);
	}

	@Test
	void countsEveryQueuesJobsByStateWithItsPause() {
		JobQueue jobs = this.pgQueue.jobQueue();
		jobs.enqueue("a", "now", EnqueueOptions.builder().queue("q1").build());
		jobs.enqueue("a", "later",
				EnqueueOptions.builder().queue("q1").delay(java.time.Duration.ofHours(1)).build());
		JobId dead = jobs.enqueue("a", "dead", EnqueueOptions.builder().queue("q1").build()).jobId();
		db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'dead', finalized_at = now() WHERE id = :id")
			.param("id", dead.value())
			.update();
		jobs.cancel(jobs.enqueue("b", "x", EnqueueOptions.builder().queue("q2").build()).jobId());
		JobOperations operations = this.pgQueue.jobOperations();
		operations.pause("q2");
		operations.pause("empty");
		operations.resume("empty");

		assertThat(operations.queues()).extracting(QueueStatus::queue).containsExactly("empty", "q1", "q2");
		QueueStatus q1 = operations.queues().get(1);
		assertThat(q1).extracting(QueueStatus::waiting, QueueStatus::scheduled, QueueStatus::running,
				QueueStatus::dead, QueueStatus::paused).containsExactly(1L, 1L, 0L, 1L, false);
		assertThat(q1.oldestWaitingAge()).isPresent();
		QueueStatus q2 = operations.queues().get(2);
		assertThat(q2).extracting(QueueStatus::waiting, QueueStatus::cancelled, QueueStatus::paused)
			.containsExactly(0L, 1L, true);
		assertThat(q2.oldestWaitingAge()).isEmpty();
		assertThat(operations.queues().get(0)).extracting(QueueStatus::waiting, QueueStatus::paused)
			.containsExactly(0L, false);
	}

	@Test
	void rejectsAPageSizeOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> JobListing.newest(0)).withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> JobListing.newest(1001)).withMessageContaining("limit");
	}

}
