package io.github.pgqueue.execute;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.JobTimeoutException;
import io.github.pgqueue.PermanentJobFailureException;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.lease.InFlightJob.State;
import io.github.pgqueue.ledger.SideEffectLedger;
import io.github.pgqueue.observation.JobObservations;
import io.github.pgqueue.retry.RetryPolicy;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.FailedAttempt;
import io.github.pgqueue.store.LeaseStore;
import io.github.pgqueue.store.StartedJob;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed job once it holds an execution permit: writes its start (which counts the
 * attempt, and which a job released, lost, cancelled or paused meanwhile never passes), reads the
 * payload into the handler's type, calls the handler under its job timeout, and writes the outcome
 * guarded by the lease. A payload that cannot be read fails the job permanently (it would fail the
 * same way every time); a rejected write means the lease was lost and is counted.
 */
public final class JobRunner {

	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	private final HandlerRegistry handlers;

	private final JsonMapper json;

	private final RetryPolicy retry;

	private final SideEffectLedger ledger;

	private final JobListener listener;

	private final WorkerStats stats;

	private final LeaseWrites writes;

	private final Timeouts timeouts;

	private final JobObservations observations;

	private volatile java.util.function.Supplier<String> installation = () -> "";

	/**
	 * @param timer runs timeouts and the interrupts of cancelled jobs; never the heartbeat
	 * @param timeoutGrace how long a handler interrupted at its timeout may go on before its attempt
	 * fails without it and its lease is let go
	 * @param observations observes each handler's run ({@code pgqueue.execute})
	 * @param deleteCompleted whether a completion deletes its job's row ({@code retention.completed: 0})
	 */
	public JobRunner(LeaseStore store, HandlerRegistry handlers, JsonMapper json, RetryPolicy retry,
			SideEffectLedger ledger, String owner, JobListener listener, WorkerStats stats,
			ScheduledExecutorService timer, Duration timeoutGrace, JobObservations observations,
			boolean deleteCompleted) {
		this.observations = observations;
		this.handlers = handlers;
		this.json = json;
		this.retry = retry;
		this.ledger = ledger;
		this.listener = listener;
		this.stats = stats;
		this.writes = new LeaseWrites(store, owner, deleteCompleted, this::completed, this::rejected);
		this.timeouts = new Timeouts(timer, timeoutGrace);
	}

	/** @param installation this installation's id, for {@code JobContext.sideEffectKey} */
	public void start(java.util.function.Supplier<String> installation) {
		this.installation = installation;
		this.writes.start();
	}

	/** Writes the starts and completions still pending (until the deadline), then stops writing them. */
	public void stop(long deadlineNanos) {
		this.writes.stop(deadlineNanos);
	}

	/**
	 * Runs the job on the calling thread, which holds one of its queue's execution permits, and
	 * settles it once its outcome is written (or it never starts).
	 * @param permit the job's execution permit, given back when the handler returns, or is abandoned
	 * past its timeout
	 * @param timeout the job's timeout, if it has one
	 */
	public void run(InFlightJob job, Permit permit, Optional<Duration> timeout) {
		if (!job.start()) {
			// released, lost or cancelled while it waited for the permit
			permit.free();
			job.settle();
			return;
		}
		Optional<StartedJob> started = this.writes.start(job);
		if (started.isEmpty() || started.get().state() != JobState.RUNNING || !job.run(started.get().attempt())) {
			notStarted(job, started);
			permit.free();
			job.settle();
			return;
		}
		ClaimedJob claimed = job.job();
		Duration wait = Duration.between(claimed.runAt(), claimed.claimedAt());
		this.listener.onStarted(claimed.queue(), claimed.kind(), wait.isNegative() ? Duration.ZERO : wait);
		long start = System.nanoTime();
		ScheduledFuture<?> watchdog = timeout.map((limit) -> this.timeouts.watch(job, limit, () -> {
			permit.handOn();
			failAbandoned(job, limit);
		})).orElse(null);
		Outcome outcome = execute(job);
		if (watchdog != null) {
			watchdog.cancel(false);
		}
		long execution = System.nanoTime() - start;
		job.ran(execution);
		// the flag of an interrupted handler would only make the pool refuse a connection
		boolean interrupted = Thread.interrupted();
		try {
			if (!job.finish()) {
				// released at shutdown, lost, or abandoned past its timeout: not this worker's to write
				if (job.state() == State.LOST) {
					// fenced here already: the lease is known gone, so the write would be refused
					this.stats.rejectedWrites.incrementAndGet();
					logger.warn("Rejected the late outcome of {}: this worker no longer holds its lease", job);
				}
				else {
					logger.debug("The outcome of {} is no longer this worker's to write", job);
				}
				permit.free();
				if (job.state() != State.ABANDONED) {
					job.settle();
				}
				return;
			}
			if (job.isTimedOut()) {
				outcome = new Outcome.Failed(new JobTimeoutException(timeout.orElseThrow(),
						"; its thread was interrupted"));
			}
			if (outcome instanceof Outcome.Failed failed) {
				// its write waits on this thread, retried while the lease lasts: the next job goes elsewhere
				permit.handOn();
				fail(job, failed.error(), Duration.ofNanos(execution));
			}
			else {
				permit.free();
				this.writes.complete(new LeaseWrites.Completion(job, execution));
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void notStarted(InFlightJob job, Optional<StartedJob> started) {
		State instead = started.map((found) -> switch (found.state()) {
			case CANCELLED -> State.CANCELLED;
			case AVAILABLE -> State.RELEASED;
			default -> State.LOST;
		}).orElse(State.LOST);
		if (job.notStarted(instead)) {
			logger.debug("{} did not start: {}", job, instead);
		}
	}

	private Outcome execute(InFlightJob inFlight) {
		ClaimedJob job = inFlight.job();
		Optional<HandlerRegistration> registration = this.handlers.find(job.kind());
		if (registration.isEmpty()) {
			// cannot happen through the poller, which claims only registered kinds
			return new Outcome.Failed(
					new PermanentJobFailureException("no handler for job kind '" + job.kind() + "'"));
		}
		return invoke(this.json, registration.get(), job, new DefaultJobContext(inFlight, this.ledger, this.installation),
				this.observations);
	}

	/**
	 * Reads the job's payload into the handler's type and calls the handler on this thread (also for
	 * {@link SynchronousRunner}).
	 * @return what the attempt came to: a payload that cannot be read fails it permanently
	 */
	static Outcome invoke(JsonMapper json, HandlerRegistration registration, ClaimedJob job, JobContext context) {
		return invoke(json, registration, job, context, JobObservations.NOOP);
	}

	/** As {@link #invoke(JsonMapper, HandlerRegistration, ClaimedJob, JobContext)}, observed as {@code pgqueue.execute}. */
	static Outcome invoke(JsonMapper json, HandlerRegistration registration, ClaimedJob job, JobContext context,
			JobObservations observations) {
		Object payload;
		try {
			payload = json.readValue(job.payload(), json.constructType(registration.payloadType()));
		}
		catch (RuntimeException ex) {
			return new Outcome.Failed(new PayloadNotReadableException(job.kind(), registration, ex));
		}
		try {
			observations.execute(job.queue(), job.kind(), job.id(), context.attempt(), job.metadata(),
					() -> registration.invoker().invoke(payload, context));
			return new Outcome.Completed();
		}
		catch (Throwable ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return new Outcome.Failed(ex);
		}
	}

	private void fail(InFlightJob job, Throwable error, Duration execution) {
		RetryPolicy.Decision decision = this.retry.afterFailure(job.attempt(), job.job().maxAttempts(), error);
		FailedAttempt attempt = new FailedAttempt(ErrorTrace.message(error), ErrorTrace.stack(error), decision.next(),
				decision.delay().toMillis());
		Optional<JobState> state = this.writes.fail(job, attempt);
		if (state.isPresent()) {
			this.stats.failed.incrementAndGet();
			logFailure(job, error, decision, state.get());
			this.listener.onFailed(job.job().queue(), job.job().kind(), state.get(), execution);
		}
		else {
			rejected(job);
		}
		job.settle();
	}

	/** The timeout's grace period passed and the handler still runs: fail the attempt without it. */
	private void failAbandoned(InFlightJob job, Duration timeout) {
		logger.warn("{} still runs {} after its timeout of {} interrupted it; its attempt fails without it and its "
				+ "lease is let go", job, this.timeouts.grace(), timeout);
		fail(job, new JobTimeoutException(timeout, "; its handler ignored the interrupt"), timeout);
	}

	private void completed(LeaseWrites.Completion completion, JobState state) {
		ClaimedJob job = completion.job().job();
		Duration execution = Duration.ofNanos(completion.execution());
		if (state == JobState.COMPLETED) {
			this.stats.completed.incrementAndGet();
			this.listener.onCompleted(job.queue(), job.kind(), execution);
		}
		else {
			this.stats.failed.incrementAndGet();
			this.listener.onFailed(job.queue(), job.kind(), state, execution);
		}
		completion.job().settle();
	}

	private void rejected(InFlightJob job) {
		this.stats.rejectedWrites.incrementAndGet();
		logger.warn("Rejected the late outcome of {}: this worker no longer holds its lease", job);
		if (job.lose()) {
			this.listener.onLeaseLost(job.job().queue(), job.job().kind());
		}
		job.settle();
	}

	private static void logFailure(InFlightJob job, Throwable error, RetryPolicy.Decision decision, JobState state) {
		ClaimedJob claimed = job.job();
		if (state == JobState.AVAILABLE) {
			logger.info("Job {} (kind {}) failed attempt {}/{}; retrying in {}: {}", claimed.id(), claimed.kind(),
					job.attempt(), claimed.maxAttempts(), decision.delay(), ErrorTrace.message(error));
		}
		else {
			logger.warn("Job {} (kind {}) is {} after attempt {}/{}: {}", claimed.id(), claimed.kind(), state.dbValue(),
					job.attempt(), claimed.maxAttempts(), ErrorTrace.message(error), error);
		}
	}

	/** Interrupts a job's handler after a cancel's grace period, if it still runs. */
	public void interruptLater(InFlightJob job, Duration grace) {
		this.timeouts.interruptLater(job, grace);
	}

	/**
	 * A job's execution permit, given back once (whoever calls first, whichever way).
	 */
	public interface Permit {

		/**
		 * Gives the permit back. On the job's own thread the next job in line waits for this thread,
		 * which takes it up once the job is done (in a moment); from elsewhere, it is handed on now.
		 */
		void free();

		/** Gives the permit back and hands the next job in line on now: this thread is about to wait. */
		void handOn();

	}

	/**
	 * A payload that the handler's type cannot be read from; permanent, since it would fail the same
	 * way on every attempt.
	 */
	static final class PayloadNotReadableException extends PermanentJobFailureException {

		PayloadNotReadableException(String kind, HandlerRegistration registration, RuntimeException cause) {
			super("payload of job kind '" + kind + "' cannot be read as " + registration.payloadType().getTypeName()
					+ " for " + registration.description() + ": " + cause.getMessage(), cause);
		}

	}

	/** The job timeouts and cancel interrupts, on the worker's timer thread. */
	private static final class Timeouts {

		private final ScheduledExecutorService timer;

		private final Duration grace;

		Timeouts(ScheduledExecutorService timer, Duration grace) {
			this.timer = timer;
			this.grace = grace;
		}

		Duration grace() {
			return this.grace;
		}

		/**
		 * At the timeout, marks the job timed out and interrupts its handler; after the grace period,
		 * abandons it if it still runs.
		 */
		@Nullable ScheduledFuture<?> watch(InFlightJob job, Duration timeout, Runnable onAbandoned) {
			return this.timer.schedule(() -> {
				if (job.state() != State.RUNNING) {
					return;
				}
				job.markTimedOut();
				job.interruptIfRunning();
				logger.info("{} ran past its timeout of {}: interrupted", job, timeout);
				this.timer.schedule(() -> {
					if (job.abandon()) {
						onAbandoned.run();
					}
				}, this.grace.toMillis(), TimeUnit.MILLISECONDS);
			}, timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		void interruptLater(InFlightJob job, Duration grace) {
			this.timer.schedule(() -> {
				if (job.interruptIfRunning()) {
					logger.info("Interrupted {}: cancelled {} ago and still running", job, grace);
				}
			}, grace.toMillis(), TimeUnit.MILLISECONDS);
		}

	}

}
