package io.github.pgqueue.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.claim.JobPoller;
import io.github.pgqueue.claim.NotificationListener;
import io.github.pgqueue.claim.QueueSlots;
import io.github.pgqueue.execute.HandlerRegistry;
import io.github.pgqueue.execute.JobRunner;
import io.github.pgqueue.execute.WorkerStats;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.lease.LeaseHeartbeat;
import io.github.pgqueue.lease.LeaseRegistry;
import io.github.pgqueue.ledger.SideEffectLedger;
import io.github.pgqueue.reaper.JobPruner;
import io.github.pgqueue.reaper.JobRescuer;
import io.github.pgqueue.retry.Backoff;
import io.github.pgqueue.schedule.PeriodicScheduler;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.JobStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's worker, the composition root of the engine: it wires the poller ({@code claim}), the
 * runner ({@code execute}), the heartbeat ({@code lease}), the reaper ({@code reaper}), the
 * wake-up listener and the periodic scheduler into one lifecycle. It claims jobs of the kinds it has handlers for into each queue's free slots, runs
 * them, keeps their leases alive, and runs the reaper. Usable without Spring: {@link #start()} and
 * {@link #stop()}.
 * <p>
 * Shutdown is graceful: claiming stops at once, running jobs get up to the shutdown timeout to
 * finish (their leases kept alive meanwhile), and any still running are then released so that
 * another worker can claim them at once, and their threads interrupted.
 */
public final class Worker {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final JobStore store;

	private final EngineSettings settings;

	private final HandlerRegistry handlers;

	private final ExecutorFactory executorFactory;

	private final WorkerStats stats = new WorkerStats();

	private final JobListener listener;

	private final LeaseRegistry leases = new LeaseRegistry();

	private final Map<String, QueueSlots> queues = new LinkedHashMap<>();

	private final Map<String, ExecutorService> executors = new LinkedHashMap<>();

	private final JobRunner runner;

	private final LeaseHeartbeat heartbeat;

	private final JobRescuer rescuer;

	private final JobPruner pruner;

	private final JobPoller poller;

	private final Semaphore wakeUps = new Semaphore(0);

	private final Object lifecycleMonitor = new Object();

	private final AtomicReference<@Nullable Instant> lastPollSuccess = new AtomicReference<>();

	private final AtomicReference<@Nullable Instant> lastHeartbeatSuccess = new AtomicReference<>();

	private volatile boolean running;

	private @Nullable Thread pollerThread;

	private @Nullable ScheduledExecutorService maintenance;

	private final @Nullable NotificationListener notifications;

	private volatile @Nullable PeriodicScheduler periodic;

	public Worker(DataSource dataSource, JobStore store, JsonMapper json, EngineSettings settings,
			HandlerRegistry handlers, ExecutorFactory executorFactory, JobListener listener) {
		this.store = store;
		this.settings = settings;
		this.handlers = handlers;
		this.executorFactory = executorFactory;
		this.listener = new CountingListener(listener, this.stats);
		for (QueueSettings queue : settings.queues().values()) {
			this.queues.put(queue.name(), new QueueSlots(queue.name(), queue.concurrency(), queue.paused()));
		}
		String owner = settings.workerId();
		long leaseMillis = settings.leaseDuration().toMillis();
		this.runner = new JobRunner(store.leases(), handlers, json, new Backoff(settings.retry()),
				new SideEffectLedger(store.sideEffects(), json, owner), owner, this.listener, this.stats);
		this.heartbeat = new LeaseHeartbeat(store.leases(), this.leases, owner, leaseMillis, this.listener);
		this.rescuer = new JobRescuer(store.maintenance(), EngineSettings.MAINTENANCE_BATCH, this.listener);
		this.pruner = new JobPruner(store.maintenance(), settings.retention(), EngineSettings.MAINTENANCE_BATCH);
		this.poller = new JobPoller(store.leases(), List.copyOf(this.queues.values()), handlers.kinds(), owner,
				leaseMillis, settings.priorityAging().toMillis(), this::dispatch);
		this.notifications = (settings.notifyEnabled() && !handlers.isEmpty()) ? new NotificationListener(dataSource,
				store.tables().channel(), this::wakeUpFor, this::wakeUp) : null;
	}

	/** Starts claiming, heartbeats and the reaper. Does nothing if already running. */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			this.queues.values()
				.forEach((queue) -> this.executors.put(queue.queue(),
						this.executorFactory.create(queue.queue(), queue.concurrency())));
			this.runner.start();
			ScheduledExecutorService maintenance = Executors.newScheduledThreadPool(2,
					ExecutorFactory.threadFactory("pgqueue-maintenance-"));
			long heartbeatMillis = this.settings.heartbeatInterval().toMillis();
			maintenance.scheduleWithFixedDelay(() -> guarded("heartbeat", this::renewLeases), heartbeatMillis,
					heartbeatMillis, TimeUnit.MILLISECONDS);
			maintenance.scheduleWithFixedDelay(() -> guarded("reaper", this::reap), 0,
					this.settings.reaperInterval().toMillis(), TimeUnit.MILLISECONDS);
			PeriodicScheduler periodic = this.periodic;
			if (periodic != null && !periodic.isEmpty()) {
				long tickMillis = Math.min(1000, this.settings.pollInterval().toMillis());
				maintenance.scheduleWithFixedDelay(() -> guarded("periodic scheduler", periodic::runOnce), 0, tickMillis,
						TimeUnit.MILLISECONDS);
			}
			this.maintenance = maintenance;
			this.heartbeat.setOnCancelRequested((job) -> maintenance.schedule(() -> {
				if (job.interruptIfRunning()) {
					logger.info("Interrupted job {} (kind {}): cancelled {} ago and still running", job.job().id(),
							job.job().kind(), this.settings.cancelGracePeriod());
				}
			}, this.settings.cancelGracePeriod().toMillis(), TimeUnit.MILLISECONDS));
			Thread thread = ExecutorFactory.threadFactory("pgqueue-poller-").newThread(this::pollLoop);
			this.pollerThread = thread;
			thread.start();
			if (this.notifications != null) {
				this.notifications.start();
			}
			logger.info("pgqueue worker {} started: queues {}, kinds {}", this.settings.workerId(),
					this.queues.keySet(), this.handlers.kinds());
		}
	}

	/**
	 * Stops gracefully: see the class description. Returns once every job is finished or released.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			if (this.notifications != null) {
				this.notifications.stop();
			}
			wakeUp();
			Thread poller = this.pollerThread;
			if (poller != null) {
				joinQuietly(poller);
			}
			this.executors.values().forEach(ExecutorService::shutdown);
			for (ExecutorService executor : this.executors.values()) {
				awaitQuietly(executor, deadline - System.nanoTime());
			}
			this.runner.stop();
			releaseUnfinished();
			this.executors.values().forEach(ExecutorService::shutdownNow);
			this.executors.clear();
			ScheduledExecutorService maintenance = this.maintenance;
			if (maintenance != null) {
				maintenance.shutdownNow();
			}
			logger.info("pgqueue worker {} stopped: {}", this.settings.workerId(), this.stats);
		}
	}

	public boolean isRunning() {
		return this.running;
	}

	public String workerId() {
		return this.settings.workerId();
	}

	public WorkerStats stats() {
		return this.stats;
	}

	/** @return when a claim last succeeded, if one has */
	public Optional<Instant> lastPollSuccess() {
		return Optional.ofNullable(this.lastPollSuccess.get());
	}

	/** @return when a heartbeat last succeeded (renewing every lease held, or holding none), if one has */
	public Optional<Instant> lastHeartbeatSuccess() {
		return Optional.ofNullable(this.lastHeartbeatSuccess.get());
	}

	/** @return the number of jobs this worker holds now */
	public int inFlight() {
		return this.leases.size();
	}

	/** Wakes the poller if this worker serves the queue. */
	public void wakeUpFor(String queue) {
		if (this.queues.containsKey(queue)) {
			wakeUp();
		}
	}

	/** @return whether this worker holds a LISTENing connection now */
	public boolean isListening() {
		return this.notifications != null && this.notifications.isListening();
	}

	/** Makes the poller claim now rather than at its next interval. */
	public void wakeUp() {
		if (this.wakeUps.availablePermits() == 0) {
			this.wakeUps.release();
		}
	}

	/**
	 * Makes this worker enqueue the ticks of periodic jobs (every node may; each tick becomes one job).
	 * Takes effect at {@link #start()}.
	 */
	public void setPeriodicScheduler(PeriodicScheduler periodic) {
		this.periodic = periodic;
	}

	private void pollLoop() {
		long failures = 0;
		while (this.running) {
			boolean claimAgain = false;
			try {
				claimAgain = this.poller.runOnce().claimAgain();
				this.lastPollSuccess.set(Instant.now());
				this.listener.onPollSucceeded();
				if (failures > 0) {
					logger.info("pgqueue worker {} claims again after {} failed poll(s)", this.settings.workerId(),
							failures);
				}
				failures = 0;
			}
			catch (RuntimeException ex) {
				failures++;
				this.listener.onPollFailed(ex);
				if (failures == 1 || failures % 60 == 0) {
					logger.warn("pgqueue worker {} could not claim jobs ({} time(s) in a row): {}",
							this.settings.workerId(), failures, ex.getMessage());
				}
			}
			if (!claimAgain && this.running) {
				try {
					this.wakeUps.tryAcquire(this.settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
					this.wakeUps.drainPermits();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private void dispatch(ClaimedJob job) {
		this.stats.countClaimed();
		InFlightJob inFlight = this.leases.add(job);
		QueueSlots slots = this.queues.get(job.queue());
		try {
			this.executors.get(job.queue()).execute(() -> {
				if (!this.running) {
					// claimed ahead and not started before the stop: released with the others
					if (slots.releaseUnrun()) {
						wakeUp();
					}
					return;
				}
				slots.acquireRun();
				try {
					this.runner.run(inFlight, (executionNanos) -> {
						this.leases.remove(inFlight);
						if (slots.release(executionNanos)) {
							wakeUp();
						}
					});
				}
				finally {
					slots.releaseRun();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// stopping: the job stays in the registry and is released with the others
			logger.debug("Job {} claimed while stopping; it will be released", job.id());
		}
	}

	private void renewLeases() {
		this.heartbeat.runOnce();
		this.lastHeartbeatSuccess.set(Instant.now());
	}

	private void reap() {
		this.rescuer.runOnce();
		this.pruner.runOnce();
	}

	private void releaseUnfinished() {
		List<Long> ids = new ArrayList<>();
		for (InFlightJob job : this.leases.all()) {
			if (!job.isFinishingOrLost()) {
				job.markReleased();
				ids.add(job.job().id());
			}
		}
		if (ids.isEmpty()) {
			return;
		}
		try {
			List<Long> released = this.store.leases().releaseIfOwned(ids, this.settings.workerId());
			this.stats.countReleased(released.size());
			logger.warn("pgqueue worker {} released {} job(s) still running after the shutdown timeout of {}: {}",
					this.settings.workerId(), released.size(), this.settings.shutdownTimeout(), released);
		}
		catch (RuntimeException ex) {
			logger.error("pgqueue worker {} could not release {} running job(s); they will be rescued when their "
					+ "leases expire", this.settings.workerId(), ids.size(), ex);
		}
	}

	private void guarded(String task, Runnable runnable) {
		try {
			runnable.run();
		}
		catch (RuntimeException ex) {
			// a scheduled task that throws is never run again: log and carry on instead
			logger.warn("pgqueue {} failed: {}", task, ex.getMessage());
		}
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitQuietly(ExecutorService executor, long nanos) {
		try {
			executor.awaitTermination(Math.max(0, nanos), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
