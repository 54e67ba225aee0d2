package io.github.pgqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.autoconfigure.QueueOverview;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.store.JobStore;
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
 * every {@code refreshInterval}.
 */
public class PgQueueMetrics implements JobListener, SmartInitializingSingleton, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(PgQueueMetrics.class);

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

	/** Reads the queue depths from the database now. */
	public void refreshDepth() {
		try {
			QueueOverview overview = QueueOverview.read(this.store, this.configuredQueues);
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			overview.queues()
				.forEach((queue, counts) -> counts.forEach((state, jobs) -> rows
					.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", state.dbValue()), jobs))));
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
