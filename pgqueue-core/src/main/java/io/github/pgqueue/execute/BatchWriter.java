package io.github.pgqueue.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.lease.InFlightJob;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one kind of lease write (starts, completions) in batches on a thread of its own: callers
 * hand their jobs over, and the thread writes whatever has gathered in one statement. Under load a
 * batch holds as many jobs as arrived during the previous write; at low load it is one job, written
 * at once. A batch that fails is written again with backoff for as long as each job's lease may
 * still be valid (an outage shorter than the lease loses no write); a job whose lease has surely
 * expired is given up.
 *
 * @param <T> what is written per job
 */
final class BatchWriter<T extends BatchWriter.Item> {

	private static final Logger logger = LoggerFactory.getLogger(BatchWriter.class);

	private static final int MAX_BATCH = 1000;

	private static final long FIRST_RETRY_MILLIS = 50;

	private static final long LAST_RETRY_MILLIS = 1000;

	private final String name;

	private final Sink<T> sink;

	private final BlockingQueue<T> pending = new LinkedBlockingQueue<>();

	private final List<T> retrying = new ArrayList<>();

	private long retryDelayMillis = FIRST_RETRY_MILLIS;

	private long retryAtNanos;

	private volatile boolean running;

	// set, under the pending queue's lock, once the thread takes no more writes
	private boolean exited;

	private @Nullable Thread thread;

	BatchWriter(String name, Sink<T> sink) {
		this.name = name;
		this.sink = sink;
	}

	void start() {
		this.running = true;
		Thread thread = ExecutorFactory.threadFactory("pgqueue-" + this.name + "-").newThread(this::writeLoop);
		this.thread = thread;
		thread.start();
	}

	/** Writes what is pending (retrying until the deadline), then stops. */
	void stop(long deadlineNanos) {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				thread.interrupt();
			}
		}
	}

	/** Hands a write over; once the writer has stopped, it is given up at once. */
	void submit(T item) {
		synchronized (this.pending) {
			if (!this.exited) {
				this.pending.add(item);
				return;
			}
		}
		this.sink.giveUp(item, new IllegalStateException("the " + this.name + " writer has stopped"));
	}

	// whether to go on; once not, no write is taken any more (each is given up as it comes)
	private boolean goOn() {
		synchronized (this.pending) {
			this.exited = !this.running && this.pending.isEmpty() && this.retrying.isEmpty();
			return !this.exited;
		}
	}

	private void writeLoop() {
		while (goOn()) {
			List<T> batch = new ArrayList<>();
			try {
				long waitNanos = this.retrying.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(100)
						: Math.max(0, this.retryAtNanos - System.nanoTime());
				T first = this.pending.poll(waitNanos, TimeUnit.NANOSECONDS);
				if (first != null) {
					batch.add(first);
				}
			}
			catch (InterruptedException ex) {
				giveUpAll(new IllegalStateException("the " + this.name + " writer was stopped"));
				return;
			}
			boolean retry = !this.retrying.isEmpty() && System.nanoTime() - this.retryAtNanos >= 0;
			if (retry) {
				batch.addAll(this.retrying);
				this.retrying.clear();
			}
			this.pending.drainTo(batch, MAX_BATCH - Math.min(MAX_BATCH - 1, batch.size()));
			if (!batch.isEmpty()) {
				write(batch, retry);
			}
		}
	}

	private void write(List<T> batch, boolean retry) {
		try {
			this.sink.write(batch, retry);
			this.retryDelayMillis = FIRST_RETRY_MILLIS;
		}
		catch (RuntimeException ex) {
			int kept = 0;
			for (T item : batch) {
				if (item.job().mayStillBeLeased()) {
					this.retrying.add(item);
					kept++;
				}
				else {
					this.sink.giveUp(item, ex);
				}
			}
			logger.warn("pgqueue could not write the {} of {} job(s) ({}); retrying {} in {} ms while their leases last",
					this.name, batch.size(), ex.getMessage(), kept, this.retryDelayMillis);
			this.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.retryDelayMillis);
			this.retryDelayMillis = Math.min(LAST_RETRY_MILLIS, this.retryDelayMillis * 2);
		}
	}

	private void giveUpAll(RuntimeException reason) {
		List<T> rest = new ArrayList<>(this.retrying);
		this.retrying.clear();
		synchronized (this.pending) {
			this.exited = true;
			this.pending.drainTo(rest);
		}
		rest.forEach((item) -> this.sink.giveUp(item, reason));
	}

	/** What one job's write is about. */
	interface Item {

		InFlightJob job();

	}

	/**
	 * Where a batch goes.
	 *
	 * @param <T> what is written per job
	 */
	interface Sink<T> {

		/**
		 * Writes the batch and settles each item's outcome.
		 * @param retry whether the batch holds writes tried before, whose reply may have been lost
		 * although they committed
		 * @throws RuntimeException when the database could not be reached: the batch is retried
		 */
		void write(List<T> batch, boolean retry);

		/** The write could not be made while the lease lasted. */
		void giveUp(T item, RuntimeException cause);

	}

}
