package io.github.pgqueue.execute;

import java.time.Duration;
import java.util.Optional;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PermanentJobFailureException;
import io.github.pgqueue.RetryJobException;
import io.github.pgqueue.SideEffectInDoubtException;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.ledger.SideEffectLedger;
import io.github.pgqueue.retry.Backoff;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.FailedAttempt;
import io.github.pgqueue.store.LeaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed attempt: reads the payload into the handler's type, calls the handler, and
 * writes the outcome guarded by the lease. A payload that cannot be read fails the job permanently
 * (it would fail the same way every time); a rejected write means the lease was lost and is counted.
 */
public final class JobRunner implements CompletionBatcher.Outcomes {

	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	private final LeaseStore store;

	private final HandlerRegistry handlers;

	private final JsonMapper json;

	private final Backoff backoff;

	private final SideEffectLedger ledger;

	private final String owner;

	private final JobListener listener;

	private final WorkerStats stats;

	private final CompletionBatcher completions;

	public JobRunner(LeaseStore store, HandlerRegistry handlers, JsonMapper json, Backoff backoff, SideEffectLedger ledger,
			String owner, JobListener listener, WorkerStats stats) {
		this.store = store;
		this.handlers = handlers;
		this.json = json;
		this.backoff = backoff;
		this.ledger = ledger;
		this.owner = owner;
		this.listener = listener;
		this.stats = stats;
		this.completions = new CompletionBatcher(store, owner, this);
	}

	public void start() {
		this.completions.start();
	}

	/** Writes the completions still pending, then stops writing them. */
	public void stop() {
		this.completions.stop();
	}

	/**
	 * Runs one attempt and writes its outcome: a failure at once, a completion through the batcher.
	 * The caller's slot stays taken until {@code done} runs, so completions awaiting their write
	 * count against the queue's capacity and never pile up.
	 * @param done called with the handler's execution time once the outcome is written (or
	 * rejected, or given up)
	 */
	public void run(InFlightJob inFlight, java.util.function.LongConsumer done) {
		ClaimedJob job = inFlight.job();
		Duration wait = Duration.between(job.runAt(), job.claimedAt());
		this.listener.onStarted(job.queue(), job.kind(), wait.isNegative() ? Duration.ZERO : wait);
		long start = System.nanoTime();
		inFlight.startedRunning();
		Outcome outcome;
		try {
			outcome = execute(inFlight);
		}
		finally {
			inFlight.stoppedRunning();
		}
		Duration execution = Duration.ofNanos(System.nanoTime() - start);
		inFlight.markFinishing();
		Runnable written = () -> done.accept(execution.toNanos());
		if (outcome instanceof Outcome.Completed && !inFlight.isReleased()) {
			this.completions.submit(inFlight, execution, written);
			return;
		}
		try {
			write(inFlight, outcome, execution);
		}
		finally {
			written.run();
		}
	}

	@Override
	public void completed(InFlightJob inFlight, JobState state, Duration execution) {
		ClaimedJob job = inFlight.job();
		if (state == JobState.COMPLETED) {
			this.stats.completed.incrementAndGet();
			this.listener.onCompleted(job.queue(), job.kind(), execution);
		}
		else {
			this.stats.failed.incrementAndGet();
			this.listener.onFailed(job.queue(), job.kind(), state, execution);
		}
	}

	private Outcome execute(InFlightJob inFlight) {
		ClaimedJob job = inFlight.job();
		Optional<HandlerRegistration> registration = this.handlers.find(job.kind());
		if (registration.isEmpty()) {
			// cannot happen through the poller, which claims only registered kinds
			return new Outcome.Failed(new IllegalStateException("no handler for job kind '" + job.kind() + "'"),
					Duration.ZERO, true);
		}
		Object payload;
		try {
			payload = this.json.readValue(job.payload(), this.json.constructType(registration.get().payloadType()));
		}
		catch (RuntimeException ex) {
			return new Outcome.Failed(new PayloadNotReadableException(job.kind(), registration.get(), ex),
					Duration.ZERO, true);
		}
		try {
			registration.get().invoker().invoke(payload, new DefaultJobContext(inFlight, this.ledger));
			return new Outcome.Completed();
		}
		catch (PermanentJobFailureException | SideEffectInDoubtException ex) {
			return new Outcome.Failed(ex, Duration.ZERO, true);
		}
		catch (RetryJobException ex) {
			return new Outcome.Failed(ex, ex.getDelay(), false);
		}
		catch (Throwable ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return new Outcome.Failed(ex, this.backoff.delayAfter(job.attempt()), false);
		}
	}

	private void write(InFlightJob inFlight, Outcome outcome, Duration execution) {
		ClaimedJob job = inFlight.job();
		if (inFlight.isReleased()) {
			logger.debug("Job {} was released at shutdown; its outcome is no longer this worker's to write", job.id());
			return;
		}
		// an interrupted handler's outcome is still written: the flag would only make the pool refuse a connection
		boolean interrupted = Thread.interrupted();
		try {
			writeGuarded(inFlight, outcome, execution);
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void writeGuarded(InFlightJob inFlight, Outcome outcome, Duration execution) {
		ClaimedJob job = inFlight.job();
		if (!(outcome instanceof Outcome.Failed failed)) {
			// completions go through the batcher; a released job's outcome is not ours to write
			return;
		}
		try {
			FailedAttempt attempt = new FailedAttempt(ErrorTrace.message(failed.error()),
					ErrorTrace.stack(failed.error()), failed.retryDelay().toMillis(), failed.permanent());
			Optional<JobState> state = this.store.failIfLeased(job.lease(), this.owner, attempt);
			if (state.isPresent()) {
				this.stats.failed.incrementAndGet();
				logFailure(job, failed, state.get());
				this.listener.onFailed(job.queue(), job.kind(), state.get(), execution);
			}
			else {
				rejected(inFlight, "failure");
			}
		}
		catch (RuntimeException ex) {
			// the lease will expire and the reaper will reclaim the job: at least once, never lost
			logger.error("Could not record the failure of job {} (kind {}, attempt {}); it will be rescued when its "
					+ "lease expires", job.id(), job.kind(), job.attempt(), ex);
		}
	}

	@Override
	public void rejected(InFlightJob inFlight, String what) {
		ClaimedJob job = inFlight.job();
		this.stats.rejectedWrites.incrementAndGet();
		logger.warn("Rejected the late {} of job {} (kind {}, attempt {}): this worker no longer holds its lease",
				what, job.id(), job.kind(), job.attempt());
		if (inFlight.markLost()) {
			this.listener.onLeaseLost(job.queue(), job.kind());
		}
	}

	private static void logFailure(ClaimedJob job, Outcome.Failed failed, JobState state) {
		if (state == JobState.AVAILABLE) {
			logger.info("Job {} (kind {}) failed attempt {}/{}; retrying in {}: {}", job.id(), job.kind(),
					job.attempt(), job.maxAttempts(), failed.retryDelay(), ErrorTrace.message(failed.error()));
		}
		else {
			logger.warn("Job {} (kind {}) is {} after attempt {}/{}: {}", job.id(), job.kind(),
					state.dbValue(), job.attempt(), job.maxAttempts(), ErrorTrace.message(failed.error()),
					failed.error());
		}
	}

	/**
	 * A payload that the handler's type cannot be read from; permanent, since it would fail the same
	 * way on every attempt.
	 */
	static final class PayloadNotReadableException extends RuntimeException {

		PayloadNotReadableException(String kind, HandlerRegistration registration, RuntimeException cause) {
			super("payload of job kind '" + kind + "' cannot be read as " + registration.payloadType().getTypeName()
					+ " for " + registration.description() + ": " + cause.getMessage(), cause);
		}

	}

}
