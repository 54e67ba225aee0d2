package io.github.pgqueue.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.Job;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PermanentJobFailureException;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.RetrySettings;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.SideEffectInDoubtException;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kit over a plain {@link PgQueue} that is never started: drained jobs run on the test's thread
 * through their real handlers, and their rows end as a worker leaves them.
 */
class PgQueueTestIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Job("greet")
	record Greet(String name) {
	}

	@Job("charge")
	record Charge(String account, int cents) {
	}

	final List<String> greeted = new CopyOnWriteArrayList<>();

	final List<String> charged = new CopyOnWriteArrayList<>();

	final List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();

	final AtomicInteger failuresLeft = new AtomicInteger();

	PgQueue pgQueue;

	PgQueueTest kit;

	@BeforeEach
	void setUp() {
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings()
				.retry(new RetrySettings(3, Duration.ofMinutes(10), 2.0, Duration.ofMinutes(10), 0.0))
				.build())
			.handler(Greet.class, (greet, context) -> {
				this.attemptsSeen.add(context.attempt());
				if (greet.name().equals("loop")) {
					this.pgQueue.jobQueue().enqueue(new Greet("loop"));
				}
				if (greet.name().startsWith("and-then-")) {
					this.pgQueue.jobQueue().enqueue(new Greet(greet.name().substring("and-then-".length())));
				}
				this.greeted.add(greet.name());
			})
			.handler(Charge.class, (charge, context) -> {
				this.attemptsSeen.add(context.attempt());
				context.runOnce("charge", () -> this.charged.add(charge.account()));
				if (charge.cents() < 0) {
					throw new PermanentJobFailureException("negative amount " + charge.cents());
				}
				if (this.failuresLeft.getAndDecrement() > 0) {
					throw new IllegalStateException("the receipt service is down");
				}
			})
			.build();
		this.kit = PgQueueTest.of(this.pgQueue);
		this.kit.clear();
	}

	@Test
	void drainRunsDueJobsThroughTheirHandlersAndCompletesTheirRows() {
		JobId id = this.kit.jobQueue().enqueue(new Greet("ada"));

		DrainResult result = this.kit.drain();

		assertThat(this.greeted).containsExactly("ada");
		assertThat(result.count()).isEqualTo(1);
		assertThat(result.jobs().get(0).state()).isEqualTo(JobState.COMPLETED);
		JobInfo job = this.kit.jobQueue().find(id).orElseThrow();
		assertThat(job.state()).isEqualTo(JobState.COMPLETED);
		assertThat(job.attempt()).isEqualTo(1);
		assertThat(job.leaseOwner()).isNull();
		assertThat(this.attemptsSeen).containsExactly(1);
	}

	@Test
	void drainRunsTheJobsThatJobsEnqueue() {
		this.kit.jobQueue().enqueue(new Greet("and-then-and-then-grace"));

		DrainResult result = this.kit.drain();

		assertThat(this.greeted).containsExactly("and-then-and-then-grace", "and-then-grace", "grace");
		assertThat(result.completed()).isEqualTo(3);
		assertThat(this.kit.enqueuedJobs()).isEmpty();
	}

	@Test
	void drainRunsAQueuesJobsInTheClaimsOrderHighestPriorityFirst() {
		this.kit.jobQueue().enqueue("greet", new Greet("low"), EnqueueOptions.builder().priority(1).build());
		this.kit.jobQueue().enqueue("greet", new Greet("high"), EnqueueOptions.builder().priority(9).build());
		this.kit.jobQueue().enqueue("greet", new Greet("middle"), EnqueueOptions.builder().priority(5).build());

		this.kit.drain();

		assertThat(this.greeted).containsExactly("high", "middle", "low");
	}

	@Test
	void drainLeavesScheduledJobsUnlessAskedToBringThemForward() {
		JobId later = this.kit.jobQueue()
			.enqueue("greet", new Greet("later"), EnqueueOptions.builder().delay(Duration.ofHours(1)).build())
			.jobId();

		assertThat(this.kit.drain().count()).isZero();
		assertThat(this.greeted).isEmpty();
		assertThat(this.kit.jobQueue().find(later).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);

		assertThat(this.kit.drainIncludingScheduled().count()).isEqualTo(1);
		assertThat(this.greeted).containsExactly("later");
		assertThat(this.kit.jobQueue().find(later).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
	}

	@Test
	void aFailingHandlerIsThrownToTheTestAndItsJobRetriedWithItsError() {
		this.failuresLeft.set(1);
		JobId id = this.kit.jobQueue().enqueue(new Charge("acct-1", 500));

		assertThatThrownBy(this.kit::drain).isInstanceOf(JobFailureException.class)
			.hasMessageContaining("job " + id)
			.hasMessageContaining("attempt 1/3")
			.hasMessageContaining("available to retry")
			.hasMessageContaining("the receipt service is down")
			.hasCauseInstanceOf(IllegalStateException.class);

		JobInfo failed = this.kit.jobQueue().find(id).orElseThrow();
		assertThat(failed.state()).isEqualTo(JobState.AVAILABLE);
		assertThat(failed.attempt()).isEqualTo(1);
		assertThat(failed.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("the receipt service is down"));
		assertThat(failed.runAt()).isAfter(failed.createdAt().plus(Duration.ofMinutes(5)));
		// the backoff keeps it from the next plain drain
		assertThat(this.kit.drain().count()).isZero();
	}

	@Test
	void aRetryBroughtForwardSeesItsNextAttemptAndTheLedgerSkipsTheRecordedStep() {
		this.failuresLeft.set(1);
		JobId id = this.kit.jobQueue().enqueue(new Charge("acct-2", 500));

		DrainResult result = this.kit.drain(DrainOptions.defaults().bringingScheduledForward().collectingFailures());

		assertThat(result.jobs()).extracting(DrainedJob::attempt, DrainedJob::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, JobState.AVAILABLE),
					org.assertj.core.groups.Tuple.tuple(2, JobState.COMPLETED));
		assertThat(result.failures()).singleElement()
			.satisfies((failure) -> assertThat(failure.error()).get().isInstanceOf(IllegalStateException.class));
		assertThat(this.attemptsSeen).containsExactly(1, 2);
		// the real runOnce ledger: the charge recorded by attempt 1 is not made again by attempt 2
		assertThat(this.charged).containsExactly("acct-2");
		JobInfo job = this.kit.jobQueue().find(id).orElseThrow();
		assertThat(job.state()).isEqualTo(JobState.COMPLETED);
		assertThat(job.attempt()).isEqualTo(2);
	}

	@Test
	void aPermanentFailureLeavesTheJobDead() {
		JobId id = this.kit.jobQueue().enqueue(new Charge("acct-3", -1));

		assertThatThrownBy(this.kit::drain).isInstanceOf(JobFailureException.class)
			.hasMessageContaining("is dead")
			.hasRootCauseMessage("negative amount -1")
			.satisfies((ex) -> assertThat(((JobFailureException) ex).job().state()).isEqualTo(JobState.DEAD));

		assertThat(this.kit.jobQueue().find(id).orElseThrow().state()).isEqualTo(JobState.DEAD);
	}

	@Test
	void aJobThatKeepsFailingGoesDeadAfterItsAttemptsWhenRetriesAreBroughtForward() {
		this.failuresLeft.set(100);
		JobId id = this.kit.jobQueue().enqueue(new Charge("acct-4", 500));

		DrainResult result = this.kit.drain(DrainOptions.defaults().bringingScheduledForward().collectingFailures());

		assertThat(result.jobs()).extracting(DrainedJob::state)
			.containsExactly(JobState.AVAILABLE, JobState.AVAILABLE, JobState.DEAD);
		JobInfo job = this.kit.jobQueue().find(id).orElseThrow();
		assertThat(job.state()).isEqualTo(JobState.DEAD);
		assertThat(job.errors()).hasSize(3);
	}

	@Test
	void drainSkipsAPausedQueueAndDrainsOnlyTheQueuesAsked() {
		this.kit.jobQueue().enqueue("greet", new Greet("on-default"), EnqueueOptions.defaults());
		this.kit.jobQueue().enqueue("greet", new Greet("on-other"), EnqueueOptions.builder().queue("other").build());
		this.kit.jobQueue().enqueue("greet", new Greet("on-paused"), EnqueueOptions.builder().queue("paused").build());
		this.pgQueue.jobOperations().pause("paused");

		this.kit.drain(DrainOptions.defaults().onlyQueues("other"));
		assertThat(this.greeted).containsExactly("on-other");

		this.kit.drain();
		assertThat(this.greeted).containsExactly("on-other", "on-default");
		PgQueueAssertions.assertThat(this.kit).hasEnqueued("greet").inQueue("paused");
	}

	@Test
	void aJobThatEnqueuesItselfStopsTheDrainAtItsLimit() {
		this.kit.jobQueue().enqueue(new Greet("loop"));

		assertThatIllegalStateException().isThrownBy(() -> this.kit.drain(DrainOptions.defaults().maxJobs(5)))
			.withMessageContaining("drained 5 jobs and more are due: is a job enqueueing itself?");
	}

	@Test
	void runHandlerCallsOneHandlerWithTheGivenAttemptAndEnqueuesNothing() throws Exception {
		TestJobContext context = this.kit.runHandler(new Charge("acct-5", 100), TestJobContext.attempt(3).withMaxAttempts(3));

		assertThat(this.attemptsSeen).containsExactly(3);
		assertThat(this.charged).containsExactly("acct-5");
		assertThat(context.stepsRun()).containsExactly("charge");
		assertThat(context.kind()).isEqualTo("charge");
		assertThat(this.kit.jobs()).isEmpty();
	}

	@Test
	void runHandlerSkipsAStepRecordedByAnEarlierAttemptAndRefusesOneInDoubt() throws Exception {
		TestJobContext recorded = this.kit.runHandler("charge", new Charge("acct-6", 100),
				TestJobContext.attempt(2).withRecordedStep("charge", true));
		assertThat(this.charged).isEmpty();
		assertThat(recorded.stepsRun()).isEmpty();

		assertThatThrownBy(() -> this.kit.runHandler(new Charge("acct-6", 100),
				TestJobContext.attempt(2).withStepInDoubt("charge")))
			.isInstanceOf(SideEffectInDoubtException.class)
			.hasMessageContaining("charge");
		assertThat(this.charged).isEmpty();
	}

	@Test
	void runHandlerThrowsWhatTheHandlerThrows() {
		assertThatThrownBy(() -> this.kit.runHandler(new Charge("acct-7", -5)))
			.isInstanceOf(PermanentJobFailureException.class)
			.hasMessage("negative amount -5");
	}

	@Test
	void runHandlerNamesAKindWithoutHandlerAndAPayloadThatDoesNotMap() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.kit.runHandler("unknown", new Greet("x")))
			.withMessageContaining("no handler for job kind 'unknown'")
			.withMessageContaining("greet");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.kit.runHandler("charge", java.util.Map.of("account", "a", "cents", "many")))
			.withMessageContaining("cannot be read as");
	}

	@Test
	void theContextsLedgerRunsAStepAgainUnderRetryInDoubt() {
		TestJobContext context = TestJobContext.attempt(2).withStepInDoubt("mail");
		AtomicInteger sent = new AtomicInteger();

		context.runOnce("mail", RunOnce.RETRY_IN_DOUBT, sent::incrementAndGet);
		context.runOnce("mail", RunOnce.RETRY_IN_DOUBT, sent::incrementAndGet);

		assertThat(sent).hasValue(1);
		assertThat(context.recordedResult("mail")).contains(1);
	}

	@Test
	void clearDeletesJobsSideEffectsAndPauses() {
		this.failuresLeft.set(1);
		this.kit.jobQueue().enqueue(new Charge("acct-8", 500));
		assertThatThrownBy(this.kit::drain).isInstanceOf(JobFailureException.class);
		this.pgQueue.jobOperations().pause("default");
		assertThat(sideEffects()).isEqualTo(1);

		this.kit.clear();

		assertThat(this.kit.jobs()).isEmpty();
		assertThat(sideEffects()).isZero();
		assertThat(this.pgQueue.jobOperations().pausedQueues()).isEmpty();
	}

	@Test
	void theBuilderTakesTheDataSourceAndHandlers() {
		List<String> seen = new CopyOnWriteArrayList<>();
		PgQueueTest built = PgQueueTest.builder(db.dataSource())
			.settings(db.settings().build())
			.handler("shout", String.class, (text, context) -> seen.add(text.toUpperCase()))
			.build();

		built.jobQueue().enqueue("shout", "hello");
		built.drain();

		assertThat(seen).containsExactly("HELLO");
		assertThat(built.schema()).isEqualTo(db.schema());
	}

	@Test
	void drainRefusesToRaceAStartedWorker() {
		this.kit.jobQueue().enqueue(new Greet("raced"));
		this.pgQueue.start();
		try {
			assertThatIllegalStateException().isThrownBy(this.kit::drain)
				.withMessageContaining("pgqueue's worker is running in this process and would race the drain");
		}
		finally {
			this.pgQueue.stop();
		}
	}

	@Test
	void drainRefusesToRunInsideATransaction() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));

		transaction.executeWithoutResult((status) -> {
			this.kit.jobQueue().enqueue(new Greet("uncommitted"));
			assertThatIllegalStateException().isThrownBy(this.kit::drain)
				.withMessageContaining("drain() was called inside a transaction (a @Transactional test?)");
		});
		assertThat(this.greeted).isEmpty();
	}

	private long sideEffects() {
		return db.jdbc().sql("SELECT count(*) FROM " + db.schema() + ".pgqueue_side_effect").query(Long.class).single();
	}

}
