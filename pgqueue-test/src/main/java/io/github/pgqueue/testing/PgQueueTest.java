package io.github.pgqueue.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobKinds;
import io.github.pgqueue.JobListing;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobPage;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.execute.SynchronousRunner;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * pgqueue for a test: the jobs of one schema, the handlers that serve them, and the ways to run them
 * on the test's own thread.
 * <ul>
 * <li>{@link #drain()} runs every due job through its real handler, with a real {@code JobContext}
 * (the attempt the database counted, the {@code runOnce} ledger), through the engine's own claim,
 * start and outcome statements, so each job's row ends as a worker would leave it; jobs that the
 * handlers enqueue run too, until none is due. A handler's failure is thrown to the test as a
 * {@link JobFailureException} after its row is written (retried with its error, or dead).</li>
 * <li>{@link #runHandler(String, Object, TestJobContext)} calls one handler with a payload and a
 * {@link TestJobContext}, enqueueing nothing.</li>
 * <li>{@link #clear()} deletes the schema's jobs, side effects and queue pauses, between tests.</li>
 * <li>{@link #jobs()} and {@link #enqueuedJobs()} read the job table, which
 * {@link PgQueueAssertions#assertThat(PgQueueTest)} asserts on.</li>
 * </ul>
 * In a {@code @SpringBootTest} it is a bean: inject it. With plain {@link PgQueue}, build one with
 * {@link #of(PgQueue)} or {@link #builder(DataSource)}. Do not let a worker run alongside
 * ({@code pgqueue.worker.enabled=false}, or a {@code PgQueue} never started): it would race the
 * drain for the jobs. A drain refuses to run inside a transaction (a {@code @Transactional} test):
 * the handlers' {@code runOnce} steps commit on their own.
 */
public final class PgQueueTest {

	private final SynchronousRunner runner;

	private final JobQueue jobQueue;

	private final JobOperations jobOperations;

	private final BooleanSupplier workerRunning;

	/**
	 * Used by the Spring Boot auto-configuration; otherwise see {@link #of(PgQueue)}.
	 * @param runner runs the jobs, over the schema and handlers the queue uses
	 * @param jobQueue the application's queue
	 * @param jobOperations reads the job table
	 * @param workerRunning whether this process's worker runs now, which would race a drain
	 */
	public PgQueueTest(SynchronousRunner runner, JobQueue jobQueue, JobOperations jobOperations,
			BooleanSupplier workerRunning) {
		this.runner = Objects.requireNonNull(runner, "runner");
		this.jobQueue = Objects.requireNonNull(jobQueue, "jobQueue");
		this.jobOperations = Objects.requireNonNull(jobOperations, "jobOperations");
		this.workerRunning = Objects.requireNonNull(workerRunning, "workerRunning");
	}

	/**
	 * @param pgQueue a {@code PgQueue} with its handlers; not started, so that only the test runs its jobs
	 * @return the kit over its schema, queue and handlers
	 */
	public static PgQueueTest of(PgQueue pgQueue) {
		return new PgQueueTest(pgQueue.synchronousRunner(), pgQueue.jobQueue(), pgQueue.jobOperations(),
				pgQueue::isRunning);
	}

	/**
	 * @param dataSource the database
	 * @return a builder taking the settings (the schema) and the handlers, as {@link PgQueue.Builder} does
	 */
	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	/** @return the queue to enqueue through */
	public JobQueue jobQueue() {
		return this.jobQueue;
	}

	/** @return the schema the jobs are in */
	public String schema() {
		return this.runner.schema();
	}

	JsonMapper jsonMapper() {
		return this.runner.jsonMapper();
	}

	/** @return every job in the table, in every state, oldest first */
	public List<JobInfo> jobs() {
		return list(null);
	}

	/** @return the jobs waiting to run (state {@code available}: due now or scheduled later), oldest first */
	public List<JobInfo> enqueuedJobs() {
		return list(JobState.AVAILABLE);
	}

	private List<JobInfo> list(@Nullable JobState state) {
		List<JobInfo> newestFirst = new ArrayList<>();
		Optional<JobListing> listing = Optional.of(JobListing.newest(JobListing.MAX_LIMIT).state(state));
		while (listing.isPresent()) {
			JobPage page = this.jobOperations.list(listing.get());
			newestFirst.addAll(page.jobs());
			listing = page.next();
		}
		Collections.reverse(newestFirst);
		return newestFirst;
	}

	/**
	 * Runs due jobs until none is due, with {@link DrainOptions#defaults()}: every queue, only jobs due now
	 * (and those the handlers enqueue due now), the first failure thrown.
	 * @return the jobs run
	 * @throws JobFailureException when a handler fails
	 */
	public DrainResult drain() {
		return drain(DrainOptions.defaults());
	}

	/**
	 * Runs due jobs, also those scheduled for later (and retries backing off), until none is left.
	 * @return the jobs run
	 * @throws JobFailureException when a handler fails
	 */
	public DrainResult drainIncludingScheduled() {
		return drain(DrainOptions.defaults().bringingScheduledForward());
	}

	/**
	 * Runs due jobs of a kind with a handler, one at a time on this thread, round after round until
	 * none is due: each round takes the next job (by aged priority, as a worker would) of every queue
	 * holding one; jobs the handlers enqueue join the next round. A paused queue is skipped.
	 * @param options which queues, whether scheduled jobs are brought forward, whether failures are thrown
	 * @return the jobs run
	 * @throws JobFailureException when a handler fails and {@code options.throwFailures()}
	 * @throws IllegalStateException when more than {@code options.maxJobs()} jobs ran, when this
	 * process's worker runs (it would race the drain for the jobs), or inside a transaction
	 */
	public DrainResult drain(DrainOptions options) {
		if (this.workerRunning.getAsBoolean()) {
			throw new IllegalStateException("pgqueue's worker is running in this process and would race the drain "
					+ "for the jobs: set pgqueue.worker.enabled=false for this test (with Spring Boot), or do not "
					+ "start the PgQueue");
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// the claim would join it, uncommitted, where the ledger's own transactions cannot see the lease
			throw new IllegalStateException("drain() was called inside a transaction (a @Transactional test?): the "
					+ "jobs' claims would join it, uncommitted, and the handlers' runOnce steps, which run in "
					+ "transactions of their own, would not see them leased; drain outside it, after the enqueues "
					+ "commit");
		}
		List<DrainedJob> ran = new ArrayList<>();
		while (true) {
			if (options.bringScheduledForward()) {
				this.runner.bringScheduledForward(options.queues());
			}
			boolean progressed = false;
			for (String queue : this.runner.queuesWithDueJobs(options.queues())) {
				Optional<SynchronousRunner.Ran> next = this.runner.runNext(queue);
				if (next.isEmpty()) {
					continue;
				}
				progressed = true;
				DrainedJob job = drained(next.get());
				ran.add(job);
				if (job.failed() && options.throwFailures()) {
					throw new JobFailureException(job, new DrainResult(ran));
				}
				if (ran.size() >= options.maxJobs() && !this.runner.queuesWithDueJobs(options.queues()).isEmpty()) {
					throw new IllegalStateException("drained " + ran.size() + " jobs and more are due: is a job "
							+ "enqueueing itself? Raise DrainOptions.maxJobs if this many are expected; the last was "
							+ job);
				}
			}
			if (!progressed) {
				return new DrainResult(ran);
			}
		}
	}

	private static DrainedJob drained(SynchronousRunner.Ran ran) {
		return new DrainedJob(ran.jobId(), ran.kind(), ran.queue(), ran.attempt(), ran.maxAttempts(), ran.state(),
				Optional.ofNullable(ran.error()));
	}

	/**
	 * Calls the handler of the payload type's kind ({@code @Job}) with the payload, in a first attempt's
	 * {@link TestJobContext}; nothing is enqueued.
	 * @return the context, to inspect the steps run
	 * @throws Exception what the handler throws, as it is
	 */
	public TestJobContext runHandler(Object payload) throws Exception {
		return runHandler(payload, TestJobContext.firstAttempt());
	}

	/**
	 * As {@link #runHandler(Object)}, with the given context.
	 * @return the context
	 * @throws Exception what the handler throws, as it is
	 */
	public TestJobContext runHandler(Object payload, TestJobContext context) throws Exception {
		String kind = JobKinds.kindOf(payload.getClass())
			.orElseThrow(() -> new IllegalArgumentException("payload type " + payload.getClass().getName()
					+ " has no @Job annotation: pass the kind explicitly"));
		return runHandler(kind, payload, context);
	}

	/**
	 * Calls the handler of {@code kind} with the payload, in a first attempt's context.
	 * @return the context
	 * @throws Exception what the handler throws, as it is
	 */
	public TestJobContext runHandler(String kind, Object payload) throws Exception {
		return runHandler(kind, payload, TestJobContext.firstAttempt());
	}

	/**
	 * Calls the handler of {@code kind} with the payload, written to JSON and read back into the
	 * handler's payload type as a worker would read it, in the given context; nothing is enqueued or
	 * written to the database.
	 * @return the context, to inspect the steps run
	 * @throws IllegalArgumentException when no handler serves the kind, or the payload does not map to its type
	 * @throws Exception what the handler throws, as it is
	 */
	public TestJobContext runHandler(String kind, Object payload, TestJobContext context) throws Exception {
		this.runner.invokeHandler(kind, payload, context.forKind(kind));
		return context;
	}

	/** Deletes every job of the schema, their side effects and the queue pauses: between tests. */
	public void clear() {
		this.runner.deleteAll();
	}

	/** Builds a {@link PgQueueTest} over a {@link PgQueue} it never starts. */
	public static final class Builder {

		private final PgQueue.Builder pgQueue;

		private Builder(DataSource dataSource) {
			this.pgQueue = PgQueue.builder(dataSource);
		}

		/** @return this builder, with the engine's settings (the schema, the retry policy) */
		public Builder settings(EngineSettings settings) {
			this.pgQueue.settings(settings);
			return this;
		}

		public Builder jsonMapper(JsonMapper json) {
			this.pgQueue.jsonMapper(json);
			return this;
		}

		/** Registers a handler for a kind, reading payloads as {@code payloadType}. */
		public <T> Builder handler(String kind, Class<T> payloadType, PgQueue.Handler<? super T> handler) {
			this.pgQueue.handler(kind, payloadType, handler);
			return this;
		}

		/** Registers a handler for the kind named by the payload type's {@code @Job}. */
		public <T> Builder handler(Class<T> payloadType, PgQueue.Handler<? super T> handler) {
			this.pgQueue.handler(payloadType, handler);
			return this;
		}

		public PgQueueTest build() {
			return of(this.pgQueue.build());
		}

	}

}
