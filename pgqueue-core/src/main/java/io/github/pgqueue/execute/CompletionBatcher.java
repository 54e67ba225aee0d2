package io.github.pgqueue.execute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.JobState;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.store.LeaseStore;
import io.github.pgqueue.store.Lease;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes completions in batches: handlers hand their completed jobs over and go on, and one thread
 * writes whatever has gathered in one statement, each row still guarded by its lease (owner,
 * attempt, unexpired). Under load a batch holds as many jobs as finished during the previous write;
 * at low load a batch is one job, written at once.
 */
final class CompletionBatcher {

	private static final Logger logger = LoggerFactory.getLogger(CompletionBatcher.class);

	private static final int MAX_BATCH = 1000;

	private final LeaseStore store;

	private final String owner;

	private final Outcomes outcomes;

	private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

	private volatile boolean running;

	private @Nullable Thread thread;

	CompletionBatcher(LeaseStore store, String owner, Outcomes outcomes) {
		this.store = store;
		this.owner = owner;
		this.outcomes = outcomes;
	}

	void start() {
		this.running = true;
		Thread thread = ExecutorFactory.threadFactory("pgqueue-completer-").newThread(this::writeLoop);
		this.thread = thread;
		thread.start();
	}

	/** Writes what is pending, then stops; later submissions are written by their own thread. */
	void stop() {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		writeWhatIsPending();
	}

	private void writeWhatIsPending() {
		List<Pending> rest = new ArrayList<>();
		this.pending.drainTo(rest);
		for (int from = 0; from < rest.size(); from += MAX_BATCH) {
			write(rest.subList(from, Math.min(rest.size(), from + MAX_BATCH)));
		}
	}

	/**
	 * @param job a job whose handler returned, already marked finishing
	 * @param execution how long its handler ran
	 * @param done called once its completion was written or rejected
	 */
	void submit(InFlightJob job, Duration execution, Runnable done) {
		this.pending.add(new Pending(job, execution, done));
		if (!this.running) {
			// not started, or stopping: nobody else will write it
			writeWhatIsPending();
		}
	}

	private void writeLoop() {
		while (this.running || !this.pending.isEmpty()) {
			Pending first;
			try {
				first = this.pending.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (first == null) {
				continue;
			}
			List<Pending> batch = new ArrayList<>();
			batch.add(first);
			this.pending.drainTo(batch, MAX_BATCH - 1);
			write(batch);
		}
	}

	private void write(List<Pending> batch) {
		try {
			List<Lease> leases = batch.stream().map((pending) -> pending.job().lease()).toList();
			Map<Long, JobState> written = this.store.completeIfLeased(leases, this.owner);
			for (Pending pending : batch) {
				JobState state = written.get(pending.job().job().id());
				if (state != null) {
					this.outcomes.completed(pending.job(), state, pending.execution());
				}
				else {
					this.outcomes.rejected(pending.job(), "completion");
				}
			}
		}
		catch (RuntimeException ex) {
			// the leases will expire and the reaper will reclaim the jobs: at least once, never lost
			logger.error("Could not record the completion of {} job(s); they will be rescued when their leases expire",
					batch.size(), ex);
		}
		finally {
			batch.forEach((pending) -> pending.done().run());
		}
	}

	/** Where the outcome of a written completion goes. */
	interface Outcomes {

		/** @param state {@code COMPLETED}, or {@code CANCELLED} when a cancel was requested meanwhile */
		void completed(InFlightJob job, JobState state, Duration execution);

		void rejected(InFlightJob job, String what);

	}

	private record Pending(InFlightJob job, Duration execution, Runnable done) {
	}

}
