package io.github.pgqueue.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.pgqueue.JobState;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.store.FailedAttempt;
import io.github.pgqueue.store.Lease;
import io.github.pgqueue.store.LeaseStore;
import io.github.pgqueue.store.StartedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes a worker makes under its leases once a job is claimed: its start (batched, awaited by
 * the handler's thread), its completion (batched, not awaited) and its failure. Each is retried with
 * backoff for as long as the lease may still be valid, so that an outage shorter than the lease
 * loses no outcome; a retried write first checks whether its earlier try committed although its
 * reply was lost.
 */
final class LeaseWrites {

	private static final Logger logger = LoggerFactory.getLogger(LeaseWrites.class);

	private final LeaseStore store;

	private final String owner;

	private final BatchWriter<Start> starts;

	private final BatchWriter<Completion> completions;

	/**
	 * @param deleteCompleted whether a completion deletes its job's row ({@code retention.completed: 0})
	 * @param completed told of each completion written: the job and its new state
	 * @param rejected told of each write rejected for a lost lease, or given up
	 */
	LeaseWrites(LeaseStore store, String owner, boolean deleteCompleted, BiConsumer<Completion, JobState> completed,
			Consumer<InFlightJob> rejected) {
		this.store = store;
		this.owner = owner;
		this.starts = new BatchWriter<>("starter", new StartSink());
		CompletionSink completionSink = deleteCompleted
				? new CompletionSink(store::deleteCompletedIfLeased, store::finishedOrGoneUnder, completed, rejected)
				: new CompletionSink(store::completeIfLeased, store::finishedUnder, completed, rejected);
		this.completions = new BatchWriter<>("completer", completionSink);
	}

	void start() {
		this.starts.start();
		this.completions.start();
	}

	void stop(long deadlineNanos) {
		this.starts.stop(deadlineNanos);
		this.completions.stop(deadlineNanos);
	}

	/**
	 * Writes the job's start and waits for it, whatever interrupts the thread meanwhile: a start
	 * handed to the writer may commit, and a job started with no one waiting to run it would lose its
	 * attempt. The writer settles every start it is given (written, or given up once the lease cannot
	 * last or the writer stops); an interrupt is kept for the caller. The future is never completed
	 * exceptionally.
	 * @return what the start found, or empty when the lease was lost or the start could not be written
	 */
	Optional<StartedJob> start(InFlightJob job) {
		Start start = new Start(job, new CompletableFuture<>());
		this.starts.submit(start);
		// join() waits whatever interrupts come, and sets the thread's flag again once it returns
		return start.result().join();
	}

	void complete(Completion completion) {
		this.completions.submit(completion);
	}

	/**
	 * Writes a failure on the calling thread, retried with backoff while the lease may last.
	 * @return the job's new state, or empty when the lease was lost (or could not be written in time)
	 */
	Optional<JobState> fail(InFlightJob job, FailedAttempt failure) {
		long delayMillis = 50;
		boolean retry = false;
		while (true) {
			try {
				if (retry) {
					JobState finished = this.store.finishedUnder(List.of(job.lease())).get(job.job().id());
					if (finished != null) {
						return Optional.of(finished);
					}
				}
				return this.store.failIfLeased(job.lease(), this.owner, failure);
			}
			catch (RuntimeException ex) {
				if (!job.mayStillBeLeased()) {
					logger.error("Could not record the failure of {} while its lease lasted; it will be rescued", job, ex);
					return Optional.empty();
				}
				logger.warn("Could not record the failure of {} ({}); retrying in {} ms", job, ex.getMessage(),
						delayMillis);
				try {
					TimeUnit.MILLISECONDS.sleep(delayMillis);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return Optional.empty();
				}
				delayMillis = Math.min(1000, delayMillis * 2);
				retry = true;
			}
		}
	}

	/** A start to write, and the handler thread waiting for it. */
	record Start(InFlightJob job, CompletableFuture<Optional<StartedJob>> result) implements BatchWriter.Item {
	}

	/**
	 * A completion to write.
	 * @param execution how long the handler ran, in nanoseconds
	 */
	record Completion(InFlightJob job, long execution) implements BatchWriter.Item {
	}

	private final class StartSink implements BatchWriter.Sink<Start> {

		@Override
		public void write(List<Start> batch, boolean retry) {
			List<Lease> leases = batch.stream().map((start) -> start.job().lease()).toList();
			Map<Long, StartedJob> started = LeaseWrites.this.store.startIfLeased(leases, LeaseWrites.this.owner);
			if (retry && started.size() < batch.size()) {
				List<Lease> missing = leases.stream().filter((lease) -> !started.containsKey(lease.jobId())).toList();
				LeaseWrites.this.store.startedUnder(missing, LeaseWrites.this.owner)
					.forEach((id, attempt) -> started.put(id, new StartedJob(id, JobState.RUNNING, attempt)));
			}
			for (Start start : batch) {
				start.result().complete(Optional.ofNullable(started.get(start.job().job().id())));
			}
		}

		@Override
		public void giveUp(Start start, RuntimeException cause) {
			logger.warn("Could not start {} while its lease lasted: {}", start.job(), cause.getMessage());
			start.result().complete(Optional.empty());
		}

	}

	private final class CompletionSink implements BatchWriter.Sink<Completion> {

		// the completion's write, and the read that tells whether a write whose reply was lost committed
		private final BiFunction<List<Lease>, String, Map<Long, JobState>> complete;

		private final Function<List<Lease>, Map<Long, JobState>> finished;

		private final BiConsumer<Completion, JobState> completed;

		private final Consumer<InFlightJob> rejected;

		CompletionSink(BiFunction<List<Lease>, String, Map<Long, JobState>> complete,
				Function<List<Lease>, Map<Long, JobState>> finished, BiConsumer<Completion, JobState> completed,
				Consumer<InFlightJob> rejected) {
			this.complete = complete;
			this.finished = finished;
			this.completed = completed;
			this.rejected = rejected;
		}

		@Override
		public void write(List<Completion> batch, boolean retry) {
			List<Completion> rest = new ArrayList<>(batch);
			if (retry) {
				Map<Long, JobState> finished = this.finished
					.apply(batch.stream().map((completion) -> completion.job().lease()).toList());
				rest.removeIf((completion) -> {
					JobState state = finished.get(completion.job().job().id());
					if (state == null) {
						return false;
					}
					// written by the earlier try (or, when not completed, rescued meanwhile)
					if (state == JobState.COMPLETED || state == JobState.CANCELLED) {
						this.completed.accept(completion, state);
					}
					else {
						this.rejected.accept(completion.job());
					}
					return true;
				});
			}
			Map<Long, JobState> written = this.complete
				.apply(rest.stream().map((completion) -> completion.job().lease()).toList(), LeaseWrites.this.owner);
			for (Completion completion : rest) {
				JobState state = written.get(completion.job().job().id());
				if (state != null) {
					this.completed.accept(completion, state);
				}
				else {
					this.rejected.accept(completion.job());
				}
			}
		}

		@Override
		public void giveUp(Completion completion, RuntimeException cause) {
			logger.error("Could not record the completion of {} while its lease lasted; it will be rescued and run "
					+ "again", completion.job(), cause);
			this.rejected.accept(completion.job());
		}

	}

}
