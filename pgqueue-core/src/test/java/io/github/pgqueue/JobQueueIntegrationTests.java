package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class JobQueueIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private PgQueue pgQueue;

	private JobQueue jobQueue;

	@Job("send-email")
	record SendEmail(String to, String subject) {
	}

	record Unannotated(String value) {
	}

	record SelfReferencing(Object self) {
		@com.fasterxml.jackson.annotation.JsonProperty
		SelfReferencing getSelf() {
			return this;
		}
	}

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.maxPayloadSize(1000)
				.queue(new QueueSettings("small", 1, 3, false))
				.build())
			.build();
		this.jobQueue = this.pgQueue.jobQueue();
	}

	@Test
	void enqueuesATypedPayloadWithTheConfiguredDefaults() {
		JobId id = this.jobQueue.enqueue(new SendEmail("a@b.c", "Welcome"));
		JobInfo job = this.jobQueue.find(id).orElseThrow();
		assertThat(job.kind()).isEqualTo("send-email");
		assertThat(job.queue()).isEqualTo("default");
		assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
		assertThat(job.attempt()).isZero();
		assertThat(job.maxAttempts()).isEqualTo(25);
		assertThat(job.priority()).isZero();
		assertThat(job.payload()).contains("\"to\": \"a@b.c\"").contains("\"subject\": \"Welcome\"");
		assertThat(job.errors()).isEmpty();
		assertThat(job.runAt()).isEqualTo(job.createdAt());
	}

	@Test
	void enqueuesAKindWithOptions() {
		EnqueueResult result = this.jobQueue.enqueue("report", Map.of("n", 1), EnqueueOptions.builder()
			.idempotencyKey("report:1")
			.maxAttempts(5)
			.delay(Duration.ofMinutes(5))
			.priority(10)
			.queue("reports")
			.build());
		assertThat(result.duplicate()).isFalse();
		JobInfo job = this.jobQueue.find(result.jobId()).orElseThrow();
		assertThat(job.queue()).isEqualTo("reports");
		assertThat(job.maxAttempts()).isEqualTo(5);
		assertThat(job.priority()).isEqualTo(10);
		assertThat(job.idempotencyKey()).isEqualTo("report:1");
		assertThat(Duration.between(job.createdAt(), job.runAt())).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void runAtIsKeptAsTheInstantGiven() {
		Instant runAt = Instant.parse("2030-01-02T03:04:05.123456Z");
		JobId id = this.jobQueue.enqueue("later", "x", EnqueueOptions.builder().runAt(runAt).build()).jobId();
		assertThat(this.jobQueue.find(id).orElseThrow().runAt()).isEqualTo(runAt);
	}

	@Test
	void aSecondEnqueueWithTheSameKeyReturnsTheFirstJob() {
		EnqueueOptions options = EnqueueOptions.builder().idempotencyKey("k1").build();
		EnqueueResult first = this.jobQueue.enqueue("k", "a", options);
		EnqueueResult second = this.jobQueue.enqueue("k", "b", options);
		assertThat(second.duplicate()).isTrue();
		assertThat(second.jobId()).isEqualTo(first.jobId());
		assertThat(this.jobQueue.find(first.jobId()).orElseThrow().payload()).isEqualTo("\"a\"");
		assertThat(db.countJobs()).isEqualTo(1);
	}

	@Test
	void thirtyTwoThreadsRacingOnOneKeyMakeOneJob() throws Exception {
		int threads = 32;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<EnqueueResult>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int n = i;
				futures.add(executor.submit(() -> {
					start.await();
					return this.jobQueue.enqueue("race", Map.of("thread", n),
							EnqueueOptions.builder().idempotencyKey("the-one-key").build());
				}));
			}
			start.countDown();
			List<EnqueueResult> results = new ArrayList<>();
			for (Future<EnqueueResult> future : futures) {
				results.add(future.get());
			}
			assertThat(results.stream().map(EnqueueResult::jobId).collect(Collectors.toSet())).hasSize(1);
			assertThat(results.stream().filter(EnqueueResult::duplicate)).hasSize(threads - 1);
			assertThat(db.countJobs()).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aRolledBackTransactionLeavesNoJobAndACommittedOneSurvives() {
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
		JobId[] rolledBack = new JobId[1];
		tx.executeWithoutResult((status) -> {
			rolledBack[0] = this.jobQueue.enqueue(new SendEmail("x@y.z", "rolled back"));
			assertThat(this.jobQueue.find(rolledBack[0])).as("visible inside its transaction").isPresent();
			status.setRollbackOnly();
		});
		assertThat(this.jobQueue.find(rolledBack[0])).isEmpty();
		JobId committed = tx.execute((status) -> this.jobQueue.enqueue(new SendEmail("x@y.z", "committed")));
		// a new pool connection: the row is durable beyond the connection that wrote it
		assertThat(db.jdbc().sql("SELECT state FROM " + db.jobTable() + " WHERE id = :id")
			.param("id", committed.value())
			.query(String.class)
			.single()).isEqualTo("available");
		assertThat(db.countJobs()).isEqualTo(1);
	}

	@Test
	void enqueueAllWritesEveryJobInRequestOrder() {
		List<JobRequest> requests = IntStream.range(0, 12_000)
			.mapToObj((i) -> JobRequest.of("bulk", Map.of("i", i)))
			.toList();
		List<EnqueueResult> results = this.jobQueue.enqueueAll(requests);
		assertThat(results).hasSize(12_000).noneMatch(EnqueueResult::duplicate);
		for (int i : new int[] { 0, 4_999, 5_000, 11_999 }) {
			assertThat(this.jobQueue.find(results.get(i).jobId()).orElseThrow().payload()).isEqualTo("{\"i\": " + i + "}");
		}
		assertThat(db.countJobs()).isEqualTo(12_000);
	}

	// a batch whose jobs differ in more than kind and payload takes the general statement
	@Test
	void enqueueAllOfMixedJobsWritesEachAsAsked() {
		Instant later = Instant.now().plus(Duration.ofHours(1));
		List<EnqueueResult> results = this.jobQueue.enqueueAll(List.of(JobRequest.of("a", 1),
				JobRequest.of("b", 2, EnqueueOptions.builder().priority(7).maxAttempts(2).queue("other").build()),
				JobRequest.of("c", 3, EnqueueOptions.builder().runAt(later).build())));
		List<JobInfo> jobs = results.stream().map((result) -> this.jobQueue.find(result.jobId()).orElseThrow()).toList();
		assertThat(jobs).extracting(JobInfo::kind).containsExactly("a", "b", "c");
		assertThat(jobs).extracting(JobInfo::priority).containsExactly(0, 7, 0);
		assertThat(jobs).extracting(JobInfo::queue).containsExactly("default", "other", "default");
		assertThat(jobs.get(1).maxAttempts()).isEqualTo(2);
		assertThat(jobs.get(2).runAt()).isCloseTo(later, within(1, ChronoUnit.MILLIS));
		assertThat(results.get(0).jobId().value()).isLessThan(results.get(1).jobId().value());
		assertThat(results.get(1).jobId().value()).isLessThan(results.get(2).jobId().value());
	}

	@Test
	void enqueueAllReportsDuplicatesWithinTheBatchAndAgainstStoredJobs() {
		JobId stored = this.jobQueue.enqueue("k", "stored", EnqueueOptions.builder().idempotencyKey("old").build())
			.jobId();
		List<EnqueueResult> results = this.jobQueue.enqueueAll(List.of(
				JobRequest.of("k", "a", EnqueueOptions.builder().idempotencyKey("new").build()),
				JobRequest.of("k", "b"),
				JobRequest.of("k", "c", EnqueueOptions.builder().idempotencyKey("old").build()),
				JobRequest.of("k", "d", EnqueueOptions.builder().idempotencyKey("new").build()),
				JobRequest.of(new SendEmail("a@b.c", "typed"))));
		assertThat(results).extracting(EnqueueResult::duplicate).containsExactly(false, false, true, true, false);
		assertThat(results.get(2).jobId()).isEqualTo(stored);
		assertThat(results.get(3).jobId()).isEqualTo(results.get(0).jobId());
		assertThat(this.jobQueue.find(results.get(1).jobId()).orElseThrow().payload()).isEqualTo("\"b\"");
		assertThat(this.jobQueue.find(results.get(4).jobId()).orElseThrow().kind()).isEqualTo("send-email");
		assertThat(db.countJobs()).isEqualTo(4);
	}

	@Test
	void badInputIsRejectedNamingTheFieldAndWritesNothing() {
		this.jobQueue.enqueue("kept", "already stored");
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue(" ", "x"))
			.withMessageContaining("kind");
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue(new Unannotated("x")))
			.withMessageContaining("@Job");
		assertThatIllegalArgumentException().isThrownBy(() -> EnqueueOptions.builder().maxAttempts(0))
			.withMessageContaining("maxAttempts");
		assertThatIllegalArgumentException().isThrownBy(() -> EnqueueOptions.builder().delay(Duration.ofSeconds(-1)))
			.withMessageContaining("delay");
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue("big", "x".repeat(2000)))
			.withMessageContaining("max-payload-size");
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue("cyclic", new SelfReferencing(null)))
			.withMessageContaining("payload of kind 'cyclic'")
			.withMessageContaining("cannot be written as JSON");
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue("nul", "a\u0000b"))
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.jobQueue.enqueueAll(List.of(JobRequest.of("ok", "fine"), JobRequest.of("big", "x".repeat(2000)))))
			.withMessageContaining("requests[1]")
			.withMessageContaining("max-payload-size");
		assertThat(db.countJobs()).as("only the job stored before").isEqualTo(1);
	}

	@Test
	void aFullBacklogRejectsEnqueueWithQueueFull() {
		EnqueueOptions small = EnqueueOptions.builder().queue("small").build();
		for (int i = 0; i < 3; i++) {
			this.jobQueue.enqueue("k", i, small);
		}
		assertThatExceptionOfType(QueueFullException.class).isThrownBy(() -> this.jobQueue.enqueue("k", 4, small))
			.withMessageContaining("'small'")
			.withMessageContaining("max-backlog=3");
		assertThat(this.jobQueue.enqueue("k", 4).value()).as("other queues are not limited").isPositive();
		assertThat(db.countJobs()).isEqualTo(4);
	}

	@Test
	void cancelMakesAnAvailableJobCancelledAndRetryMakesItAvailableAgain() {
		JobId id = this.jobQueue.enqueue("k", "x");
		assertThat(this.jobQueue.cancel(id)).isTrue();
		JobInfo cancelled = this.jobQueue.find(id).orElseThrow();
		assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
		assertThat(cancelled.finalizedAt()).isNotNull();
		assertThat(this.jobQueue.cancel(id)).as("already cancelled").isFalse();
		assertThat(this.jobQueue.retry(id)).isTrue();
		JobInfo retried = this.jobQueue.find(id).orElseThrow();
		assertThat(retried.state()).isEqualTo(JobState.AVAILABLE);
		assertThat(retried.finalizedAt()).isNull();
		assertThat(this.jobQueue.retry(id)).as("available jobs are not retried").isFalse();
	}

	@Test
	void findIsEmptyForAnUnknownJob() {
		assertThat(this.jobQueue.find(JobId.of(Long.MAX_VALUE))).isEmpty();
		assertThat(this.jobQueue.cancel(JobId.of(Long.MAX_VALUE))).isFalse();
		assertThat(this.jobQueue.retry(JobId.of(Long.MAX_VALUE))).isFalse();
	}


}
