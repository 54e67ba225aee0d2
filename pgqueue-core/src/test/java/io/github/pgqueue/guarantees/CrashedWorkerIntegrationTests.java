package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.RetrySettings;
import io.github.pgqueue.test.ChildProcess;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attempts count runs: a job whose handler never started keeps its attempt when its worker dies
 * (claimed ahead, or a claim whose reply never arrived), and a job whose worker died while its
 * handler ran counts the attempt and backs off like any failure. Real JVMs, killed with
 * {@code kill -9} or halting themselves.
 */
class CrashedWorkerIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<PgQueue> nodes = new ArrayList<>();

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		db.jdbc().sql("DROP TABLE IF EXISTS " + db.schema() + ".starts").update();
		db.jdbc().sql("CREATE TABLE " + db.schema() + ".starts (job_id bigint, attempt int, worker text, "
				+ "at timestamptz DEFAULT clock_timestamp())").update();
	}

	@AfterEach
	void stop() {
		this.nodes.forEach(PgQueue::stop);
	}

	@Test
	void jobsClaimedAheadByAKilledWorkerKeepTheirAttempt() {
		List<JobRequest> jobs = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			jobs.add(JobRequest.of("short", "job-" + i, EnqueueOptions.builder().maxAttempts(1).build()));
		}
		PgQueue producer = rescuer("short", Duration.ofSeconds(1));
		producer.jobQueue().enqueueAll(jobs);
		try (ChildProcess child = ChildProcess.start(CrashChildWorker.class, TestDatabase.jdbcUrl(), db.schema(),
				"short")) {
			child.awaitLine(CrashChildWorker.READY + " short", Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(60)).until(() -> starts() >= 300);
			child.kill9();
		}
		long claimedWhenKilled = db.countJobs("running");
		producer.start();
		await().atMost(Duration.ofSeconds(90))
			.until(() -> db.countJobs("available") + db.countJobs("running") == 0);
		long deadNeverRun = db.jdbc()
			.sql("SELECT count(*) FROM " + db.jobTable() + " j WHERE state = 'dead' AND NOT EXISTS "
					+ "(SELECT 1 FROM " + db.schema() + ".starts s WHERE s.job_id = j.id)")
			.query(Long.class)
			.single();
		assertThat(claimedWhenKilled).as("jobs the killed worker held").isGreaterThan(2);
		// Only jobs whose handler ran may have gone dead (one attempt each): the 2 in the worker's slots
		// when it died, and any whose handler had returned while its completion, written in batches
		// after the permit is given back, was still on its way. Of those, only the 2 in the slots can
		// lack the handler's own record (killed after the start was written, before the handler's
		// first statement committed). A job claimed ahead and never started that lost its attempt
		// would be dead with no record: that is what this bounds.
		assertThat(deadNeverRun).as("dead jobs whose handler never recorded a start (of %d dead)",
				db.countJobs("dead")).isLessThanOrEqualTo(2);
		assertThat(db.countJobs("completed") + db.countJobs("dead")).as("jobs finished").isEqualTo(jobs.size());
	}

	@Test
	void aJobWhoseWorkerDiedWhileItRanCountsTheAttemptAndBacksOff() {
		PgQueue rescuer = rescuer("halt", Duration.ofSeconds(3));
		JobId id = rescuer.jobQueue().enqueue("halt", "boom", EnqueueOptions.builder().maxAttempts(5).build()).jobId();
		try (ChildProcess child = ChildProcess.start(CrashChildWorker.class, TestDatabase.jdbcUrl(), db.schema(),
				"halt")) {
			child.awaitLine(CrashChildWorker.READY + " halt", Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).until(() -> starts() >= 1);
		}
		rescuer.start();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> rescuer.jobQueue().find(id).orElseThrow().state() == JobState.COMPLETED);
		JobInfo job = rescuer.jobQueue().find(id).orElseThrow();
		assertThat(job.attempt()).as("attempts counted").isEqualTo(2);
		assertThat(job.errors()).hasSize(1);
		Double gapSeconds = db.jdbc()
			.sql("SELECT extract(epoch FROM max(at) - min(at)) FROM " + db.schema() + ".starts WHERE job_id = :id")
			.param("id", id.value())
			.query(Double.class)
			.single();
		// the rescue applied the retry policy: the second attempt waited out the first backoff
		assertThat(gapSeconds).as("seconds between the attempts' starts").isGreaterThanOrEqualTo(3.0);
	}

	@Test
	void aClaimWhoseReplyWasLostKeepsTheJobsAttempt() throws Exception {
		PgQueue node = rescuer("short", Duration.ofSeconds(1));
		JobId id = node.jobQueue().enqueue("short", "lost", EnqueueOptions.builder().maxAttempts(1).build()).jobId();
		// a claim that committed but whose reply never reached its worker: the job is leased to a
		// worker that will never start it
		new io.github.pgqueue.store.JobStore(db.dataSource(), db.schema(),
				tools.jackson.databind.json.JsonMapper.builder().build())
			.claims().claimAvailable("default", List.of("short"), 1, "gone", 300, 60_000);
		node.start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> node.jobQueue().find(id).orElseThrow().state().isFinal());
		assertThat(node.jobQueue().find(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		assertThat(starts()).isEqualTo(1);
	}

	private long starts() {
		return db.jdbc().sql("SELECT count(*) FROM " + db.schema() + ".starts").query(Long.class).single();
	}

	private PgQueue rescuer(String kind, Duration initialBackoff) {
		PgQueue node = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.workerId("rescuer")
				.leaseDuration(Duration.ofSeconds(2))
				.heartbeatInterval(Duration.ofMillis(300))
				.retry(new RetrySettings(5, initialBackoff, 2.0, Duration.ofMinutes(1), 0.0))
				.queue(QueueSettings.of("default", 8))
				.build())
			.handler(kind, String.class, (payload, ctx) -> CrashChildWorker.recordStart(db.jdbc(), db.schema(),
					ctx.jobId().value(), ctx.attempt(), "rescuer"))
			.build();
		this.nodes.add(node);
		return node;
	}

}
