package io.github.pgqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.JobTableEstimate;
import io.github.pgqueue.store.QueueHead;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * pgqueue's Micrometer meters, fed as a {@link JobListener}: {@code pgqueue.jobs.enqueued},
 * {@code pgqueue.jobs.completed}, {@code pgqueue.jobs.failed} (outcome=retry|dead|cancelled),
 * {@code pgqueue.job.execution}, {@code pgqueue.job.wait}, {@code pgqueue.leases.lost} (tags
 * {@code queue}, {@code kind}), {@code pgqueue.reaper.rescued}, and the gauge
 * {@code pgqueue.queue.depth} (tags {@code queue}, {@code state}), refreshed from the database
 * every {@code refreshInterval}: {@code available} and {@code running} are counted through the claim
 * and lease indexes up to {@value #DEPTH_CAP} (a deeper backlog reads as {@value #DEPTH_CAP});
 * {@code completed}, {@code dead} and {@code cancelled} are estimates from PostgreSQL's statistics
 * (see {@link JobTableEstimate}), as fresh as the table's last {@code ANALYZE}.
 */
public class PgQueueMetrics implements JobListener, SmartInitializingSingleton, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(PgQueueMetrics.class);

	/** The most available, and running, jobs the depth gauge counts per queue. */
	public static final int DEPTH_CAP = 10_000;

	private final MeterRegistry registry;

	private final JobStore store;

	private final Collection<String> configuredQueues;

	private final Duration refreshInterval;

	private final MultiGauge depth;

	private final Counter rescued;

	private @Nullable ScheduledExecutorService refresher;

	public PgQueueMetrics(MeterRegistry registry, JobStore store, Collection<String> configuredQueues,
			Duration refreshInterval) {
		this.registry = registry;
		this.store = store;
		this.configuredQueues = List.copyOf(configuredQueues);
		this.refreshInterval = refreshInterval;
		this.depth = MultiGauge.builder("pgqueue.queue.depth")
			.description("Jobs per queue and state")
			.baseUnit("jobs")
			.register(registry);
		this.rescued = Counter.builder("pgqueue.reaper.rescued")
			.description("Jobs reclaimed by the reaper after their lease expired")
			.register(registry);
	}

	@Override
	public void afterSingletonsInstantiated() {
		ScheduledExecutorService refresher = Executors
			.newSingleThreadScheduledExecutor(ExecutorFactory.threadFactory("pgqueue-metrics-"));
		refresher.scheduleWithFixedDelay(this::refreshDepth, 0, this.refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
		this.refresher = refresher;
	}

	@Override
	public void destroy() {
		ScheduledExecutorService refresher = this.refresher;
		if (refresher != null) {
			refresher.shutdownNow();
		}
	}

	/**
	 * Reads the queue depths from the database now: available and running jobs counted through the
	 * claim and lease indexes up to {@value #DEPTH_CAP} per queue, finished ones estimated from the
	 * table's statistics. Reads no more of the job table however many finished jobs it keeps.
	 */
	public void refreshDepth() {
		try {
			List<QueueHead> heads = this.store.monitor().queueHeads(this.configuredQueues, DEPTH_CAP);
			JobTableEstimate estimate = this.store.monitor().estimateJobTable();
			Set<String> queues = new TreeSet<>(estimate.queueFractions().keySet());
			Map<String, QueueHead> byQueue = new HashMap<>();
			heads.forEach((head) -> byQueue.put(head.queue(), head));
			queues.addAll(byQueue.keySet());
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (String queue : queues) {
				QueueHead head = byQueue.get(queue);
				long available = (head != null) ? head.available() : 0;
				long running = (head != null) ? head.running() : 0;
				for (JobState state : JobState.values()) {
					long jobs = switch (state) {
						case AVAILABLE -> available;
						case RUNNING -> running;
						default -> estimate.finished(queue, state, available + running);
					};
					rows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", state.dbValue()), jobs));
				}
			}
			this.depth.register(rows, true);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not refresh pgqueue.queue.depth: {}", ex.getMessage());
		}
	}

	@Override
	public void onEnqueued(String queue, String kind) {
		counter("pgqueue.jobs.enqueued", "Jobs enqueued", queue, kind).increment();
	}

	@Override
	public void onStarted(String queue, String kind, Duration wait) {
		Timer.builder("pgqueue.job.wait")
			.description("Time from a job's run_at to its start")
			.tags("queue", queue, "kind", kind)
			.register(this.registry)
			.record(wait);
	}

	@Override
	public void onCompleted(String queue, String kind, Duration execution) {
		counter("pgqueue.jobs.completed", "Jobs completed", queue, kind).increment();
		execution(queue, kind, execution);
	}

	@Override
	public void onFailed(String queue, String kind, JobState outcome, Duration execution) {
		String outcomeTag = switch (outcome) {
			case AVAILABLE -> "retry";
			case CANCELLED -> "cancelled";
			default -> "dead";
		};
		Counter.builder("pgqueue.jobs.failed")
			.description("Failed attempts, by what followed")
			.tags("queue", queue, "kind", kind, "outcome", outcomeTag)
			.register(this.registry)
			.increment();
		execution(queue, kind, execution);
	}

	@Override
	public void onLeaseLost(String queue, String kind) {
		counter("pgqueue.leases.lost", "Leases a worker lost before writing its job's outcome", queue, kind)
			.increment();
	}

	@Override
	public void onRescued(int count) {
		this.rescued.increment(count);
	}

	private void execution(String queue, String kind, Duration execution) {
		Timer.builder("pgqueue.job.execution")
			.description("Handler execution time")
			.tags("queue", queue, "kind", kind)
			.register(this.registry)
			.record(execution);
	}

	private Counter counter(String name, String description, String queue, String kind) {
		return Counter.builder(name).description(description).tags("queue", queue, "kind", kind).register(this.registry);
	}

}
