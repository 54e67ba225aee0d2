package io.github.pgqueue.node;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.claim.QueueSlots;
import io.github.pgqueue.execute.HandlerRegistration;
import io.github.pgqueue.execute.HandlerRegistry;
import io.github.pgqueue.execute.JobRunner;
import io.github.pgqueue.execute.WorkerStats;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.lease.LeaseRegistry;
import io.github.pgqueue.store.ClaimedJob;
import org.jspecify.annotations.Nullable;

/**
 * Takes the poller's claimed jobs into their queue's line and hands each to the queue's executor
 * once it holds one of the queue's execution permits, so that no task ever waits for a permit (a
 * task that did, as a thread per task would, could start after its job was released). It is also the
 * one place that gives a job's slot back: when the job is settled, whatever settled it.
 */
final class Dispatcher {

	private final Map<String, QueueSlots> queues;

	private final LeaseRegistry leases;

	private final EngineSettings settings;

	private final HandlerRegistry handlers;

	private final WorkerStats stats;

	private final Runnable wakeUp;

	private final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();

	private volatile @Nullable JobRunner runner;

	private volatile boolean open;

	Dispatcher(Map<String, QueueSlots> queues, LeaseRegistry leases, EngineSettings settings, HandlerRegistry handlers,
			WorkerStats stats, Runnable wakeUp) {
		this.queues = queues;
		this.leases = leases;
		this.settings = settings;
		this.handlers = handlers;
		this.stats = stats;
		this.wakeUp = wakeUp;
	}

	void open(JobRunner runner, ExecutorFactory executorFactory) {
		this.queues.values()
			.forEach((queue) -> this.executors.put(queue.queue(), executorFactory.create(queue.queue(), queue.concurrency())));
		this.runner = runner;
		this.open = true;
	}

	/** Hands nothing more to the executors: jobs still in line stay there, to be released. */
	void close() {
		this.open = false;
	}

	void shutdownNow() {
		this.executors.values().forEach(ExecutorService::shutdownNow);
		this.executors.clear();
	}

	void dispatch(ClaimedJob job) {
		this.stats.countClaimed();
		QueueSlots slots = this.queues.get(job.queue());
		// the lease was taken before the claim's reply arrived: count its time from a little earlier
		long leaseDeadline = System.nanoTime() + this.settings.leaseDuration().toNanos() * 9 / 10;
		InFlightJob inFlight = this.leases.add(job, leaseDeadline, (settled) -> {
			if (slots.release(settled.executionNanos(), settled.settledAfterHandler())) {
				this.wakeUp.run();
			}
		});
		slots.offer(inFlight);
		pump(slots);
	}

	/** Hands the jobs in line to the executor, each once it holds an execution permit. */
	private void pump(QueueSlots slots) {
		if (!this.open) {
			return;
		}
		ExecutorService executor = this.executors.get(slots.queue());
		JobRunner runner = this.runner;
		InFlightJob job;
		while (executor != null && runner != null && (job = slots.pollWithPermit()) != null) {
			InFlightJob first = job;
			try {
				executor.execute(() -> runInLine(slots, runner, first));
			}
			catch (RejectedExecutionException ex) {
				// stopping: the job is released with the others
				slots.freePermit();
				slots.offer(first);
				return;
			}
		}
	}

	/**
	 * Runs the job, then the next ones in line while a permit is free for them, on this thread: a
	 * job handed from a handler's thread to another would wake a parked thread for each one. An
	 * interrupt a handler leaves on the thread was meant for its own job (its timeout's, its
	 * cancel's): it is cleared before the next job, whose start it would otherwise cut short, and
	 * kept only when the worker is stopping.
	 */
	private void runInLine(QueueSlots slots, JobRunner runner, InFlightJob first) {
		Thread self = Thread.currentThread();
		InFlightJob job = first;
		while (job != null) {
			run(slots, runner, job, self);
			boolean interrupted = Thread.interrupted();
			job = this.open ? slots.pollWithPermit() : null;
			if (job == null && interrupted) {
				self.interrupt();
			}
		}
	}

	private void run(QueueSlots slots, JobRunner runner, InFlightJob job, Thread self) {
		Permit permit = new Permit(slots, job, self);
		Optional<Duration> timeout = this.settings.jobTimeoutFor(job.job().queue(),
				this.handlers.find(job.job().kind()).map(HandlerRegistration::timeout).orElse(null));
		try {
			runner.run(job, permit, timeout);
		}
		finally {
			permit.free();
		}
	}

	/** One job's execution permit. */
	private final class Permit implements JobRunner.Permit {

		private final QueueSlots slots;

		private final InFlightJob job;

		private final Thread self;

		private final AtomicBoolean freed = new AtomicBoolean();

		Permit(QueueSlots slots, InFlightJob job, Thread self) {
			this.slots = slots;
			this.job = job;
			this.self = self;
		}

		@Override
		public void free() {
			// on the job's own thread the line is taken up once the job is done; elsewhere (the
			// watchdog letting an abandoned handler go) it is handed on now
			give(Thread.currentThread() != this.self);
		}

		@Override
		public void handOn() {
			give(true);
		}

		private void give(boolean handOn) {
			if (this.freed.compareAndSet(false, true)) {
				this.slots.freePermit();
				if (this.job.handlerDone() && this.slots.handlerDone()) {
					Dispatcher.this.wakeUp.run();
				}
				if (handOn) {
					pump(this.slots);
				}
			}
		}

	}

}
