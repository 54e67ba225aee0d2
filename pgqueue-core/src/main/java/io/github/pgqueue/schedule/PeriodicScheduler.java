package io.github.pgqueue.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.MissedTicks;
import io.github.pgqueue.PeriodicJob;
import io.github.pgqueue.store.PeriodicStore;
import io.github.pgqueue.store.PeriodicStore.PeriodicState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enqueues the due ticks of periodic jobs. Every node runs it; for each job, one transaction locks
 * the job's row in {@code pgqueue_periodic}, computes the ticks due since the last one recorded by
 * the database's clock, enqueues them (each with the idempotency key {@code periodic:<name>:<tick>},
 * so even a second enqueue of a tick would yield the same job), and records the last tick. So each
 * tick becomes exactly one job however many nodes run, and ticks missed while every node was down
 * are handled by the job's {@link MissedTicks} policy.
 */
public final class PeriodicScheduler {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicScheduler.class);

	/** A due tick older than this was missed (no node ran when it came). */
	static final Duration ON_TIME = Duration.ofSeconds(30);

	static final int MAX_TICKS = 1000;

	private final PeriodicStore store;

	private final JobQueue jobQueue;

	private final List<PeriodicJob> jobs;

	private final TransactionTemplate transactions;

	public PeriodicScheduler(DataSource dataSource, PeriodicStore store, JobQueue jobQueue, List<PeriodicJob> jobs) {
		this.store = store;
		this.jobQueue = jobQueue;
		this.jobs = List.copyOf(jobs);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/** @return the periodic jobs it enqueues the ticks of */
	public List<PeriodicJob> jobs() {
		return this.jobs;
	}

	public boolean isEmpty() {
		return this.jobs.isEmpty();
	}

	/**
	 * Enqueues what is due for every periodic job.
	 * @return the number of jobs enqueued
	 */
	public int runOnce() {
		int enqueued = 0;
		for (PeriodicJob job : this.jobs) {
			try {
				Integer count = this.transactions.execute((status) -> enqueueDue(job));
				enqueued += (count != null) ? count : 0;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not enqueue the due ticks of periodic job '{}': {}", job.name(), ex.getMessage());
			}
		}
		return enqueued;
	}

	private int enqueueDue(PeriodicJob job) {
		PeriodicState state = this.store.lockPeriodic(job.name());
		List<Instant> due = dueTicks(job, state);
		if (due.isEmpty()) {
			return 0;
		}
		List<Instant> toEnqueue = select(job.missed(), due, state.now());
		for (Instant tick : toEnqueue) {
			this.jobQueue.enqueue(job.kind(), job.payload(), EnqueueOptions.builder()
				.queue(job.queue())
				.runAt(tick)
				.idempotencyKey("periodic:" + job.name() + ":" + tick.toEpochMilli())
				.build());
		}
		this.store.updatePeriodic(job.name(), due.get(due.size() - 1));
		if (due.size() > 1 || toEnqueue.size() != due.size()) {
			logger.info("Periodic job '{}': {} tick(s) due, {} enqueued (missed ticks: {})", job.name(), due.size(),
					toEnqueue.size(), job.missed());
		}
		return toEnqueue.size();
	}

	private static List<Instant> dueTicks(PeriodicJob job, PeriodicState state) {
		List<Instant> due = new ArrayList<>();
		Instant cursor = state.lastTick();
		while (true) {
			Optional<Instant> next = job.schedule().nextAfter(cursor);
			if (next.isEmpty() || next.get().isAfter(state.now()) || !next.get().isAfter(cursor)) {
				return due;
			}
			due.add(next.get());
			if (due.size() > MAX_TICKS) {
				due.remove(0);
			}
			cursor = next.get();
		}
	}

	private static List<Instant> select(MissedTicks policy, List<Instant> due, Instant now) {
		List<Instant> onTime = due.stream().filter((tick) -> !tick.isBefore(now.minus(ON_TIME))).toList();
		return switch (policy) {
			case ALL -> due;
			case ONCE -> List.of(due.get(due.size() - 1));
			case SKIP -> onTime;
		};
	}

}
