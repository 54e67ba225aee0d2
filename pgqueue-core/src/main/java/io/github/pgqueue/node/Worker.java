package io.github.pgqueue.node;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.PeriodicJob;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.claim.JobPoller;
import io.github.pgqueue.claim.NotificationListener;
import io.github.pgqueue.claim.QueueSlots;
import io.github.pgqueue.execute.HandlerRegistration;
import io.github.pgqueue.execute.HandlerRegistry;
import io.github.pgqueue.execute.JobRunner;
import io.github.pgqueue.observation.JobObservations;
import io.github.pgqueue.execute.WorkerStats;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.lease.LeaseHeartbeat;
import io.github.pgqueue.lease.LeaseRegistry;
import io.github.pgqueue.ledger.SideEffectLedger;
import io.github.pgqueue.reaper.JobPruner;
import io.github.pgqueue.reaper.JobRescuer;
import io.github.pgqueue.retry.RetryPolicy;
import io.github.pgqueue.schedule.PeriodicScheduler;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.LeaseStore;
import io.github.pgqueue.store.ReservedConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A node's worker, the composition root of the engine: it wires the poller ({@code claim}), the
 * runner ({@code execute}), the heartbeat ({@code lease}), the reaper ({@code reaper}), the
 * wake-up listener and the periodic scheduler into one lifecycle. It claims jobs of the kinds it has
 * handlers for into each queue's free slots, runs them, keeps their leases alive, and runs the
 * reaper. Usable without Spring: {@link #start()} and {@link #stop()}.
 * <p>
 * Threads: one poller; per queue an executor that receives a job only once it holds one of the
 * queue's execution permits; one heartbeat thread, on a connection of its own that no handler can
 * take; a timer for job timeouts and cancel interrupts; one maintenance thread for the reaper and
 * periodic ticks; the start and completion writers. Nothing a handler does can delay a heartbeat.
 * <p>
 * Shutdown is graceful: claiming stops at once, jobs claimed ahead that never started are given back
 * at once, running jobs get up to the shutdown timeout to finish (their leases kept alive meanwhile),
 * and any still running are then released so that another worker can claim them at once, and their
 * threads interrupted.
 */
public final class Worker {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final JobStore store;

	private final EngineSettings settings;

	private final HandlerRegistry handlers;

	private final ExecutorFactory executorFactory;

	private final WorkerStats stats = new WorkerStats();

	private final JobListener listener;

	private final JsonMapper json;

	private final LeaseRegistry leases = new LeaseRegistry();

	private final Map<String, QueueSlots> queues = new LinkedHashMap<>();

	private final Dispatcher dispatcher;

	private final ReservedConnection reserved;

	private final LeaseStore reservedLeases;

	private final JobRescuer rescuer;

	private final JobPruner pruner;

	private final JobPoller poller;

	private final RetryPolicy retry;


	private final Object lifecycleMonitor = new Object();


	private final AtomicReference<@Nullable Instant> lastHeartbeatSuccess = new AtomicReference<>();

	private volatile boolean running;

	private volatile @Nullable JobRunner runner;

	private volatile @Nullable LeaseHeartbeat heartbeat;

	private final PollLoop pollLoop;

	private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

	private final @Nullable NotificationListener notifications;

	private volatile @Nullable PeriodicScheduler periodic;

	private volatile @Nullable String installation;

	private volatile JobObservations observations = JobObservations.NOOP;

	public Worker(DataSource dataSource, JobStore store, JsonMapper json, EngineSettings settings,
			HandlerRegistry handlers, ExecutorFactory executorFactory, JobListener listener) {
		this.store = store;
		this.settings = settings;
		this.handlers = handlers;
		this.executorFactory = executorFactory;
		this.json = json;
		this.listener = new CountingListener(listener, this.stats);
		for (QueueSettings queue : settings.queues().values()) {
			this.queues.put(queue.name(), new QueueSlots(queue.name(), queue.concurrency(), queue.paused()));
		}
		this.reserved = new ReservedConnection(dataSource);
		this.reservedLeases = store.leasesOn(this.reserved);
		this.retry = new RetryPolicy(settings.retry());
		this.rescuer = new JobRescuer(store.maintenance(), this.retry, EngineSettings.MAINTENANCE_BATCH, this.listener);
		this.pruner = new JobPruner(store.maintenance(), settings.retention(), EngineSettings.MAINTENANCE_BATCH);
		this.dispatcher = new Dispatcher(this.queues, this.leases, settings, handlers, this.stats, this::wakeUp);
		this.poller = new JobPoller(store.claims(), List.copyOf(this.queues.values()), handlers.kinds(),
				settings.workerId(), settings.leaseDuration().toMillis(), settings.priorityAging().toMillis(),
				this.dispatcher::dispatch);
		this.pollLoop = new PollLoop(this.poller, settings, this.listener, () -> this.running && isHeartbeatHealthy());
		this.notifications = (settings.notifyEnabled() && !handlers.isEmpty()) ? new NotificationListener(dataSource,
				store.tables().channel(), this::wakeUpFor, this::wakeUp) : null;
	}

	/** Starts claiming, heartbeats and the reaper. Does nothing if already running. */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			String owner = this.settings.workerId();
			long leaseMillis = this.settings.leaseDuration().toMillis();
			ScheduledExecutorService timer = scheduler("pgqueue-timer-");
			JobRunner runner = new JobRunner(this.store.leases(), this.handlers, this.json, this.retry,
					new SideEffectLedger(this.store.sideEffects(), this.json, owner), owner, this.listener, this.stats,
					timer, this.settings.cancelGracePeriod(), this.observations,
					this.settings.retention().completed().isZero());
			Duration cancelGrace = this.settings.cancelGracePeriod();
			JdbcClient reservedJdbc = JdbcClient.create(this.reserved);
			LeaseHeartbeat heartbeat = new LeaseHeartbeat(this.reservedLeases, this.leases, owner, leaseMillis,
					this.listener, (job) -> runner.interruptLater(job, cancelGrace),
					() -> reservedJdbc.sql("SELECT 1").query(Integer.class).single());
			try {
				// reserved now, before any handler can take the pool's last connection
				reservedJdbc.sql("SELECT 1").query(Integer.class).single();
			}
			catch (RuntimeException ex) {
				this.reserved.resetConnection();
				logger.warn("pgqueue worker {} could not reserve its heartbeat's connection yet: {}", owner,
						ex.getMessage());
			}
			this.runner = runner;
			this.heartbeat = heartbeat;
			this.running = true;
			this.dispatcher.open(runner, this.executorFactory);
			runner.start(this::installation);
			long heartbeatMillis = this.settings.heartbeatInterval().toMillis();
			// a thread of its own: neither the reaper, the periodic ticks nor an interrupt can delay it
			scheduler("pgqueue-heartbeat-").scheduleWithFixedDelay(() -> beat(heartbeat), heartbeatMillis,
					heartbeatMillis, TimeUnit.MILLISECONDS);
			ScheduledExecutorService maintenance = scheduler("pgqueue-maintenance-");
			maintenance.scheduleWithFixedDelay(() -> guarded("reaper", this::reap), 0,
					this.settings.reaperInterval().toMillis(), TimeUnit.MILLISECONDS);
			PeriodicScheduler periodic = this.periodic;
			if (periodic != null && !periodic.isEmpty()) {
				long tickMillis = Math.min(1000, this.settings.pollInterval().toMillis());
				maintenance.scheduleWithFixedDelay(() -> guarded("periodic scheduler", periodic::runOnce), 0, tickMillis,
						TimeUnit.MILLISECONDS);
			}
			this.pollLoop.start();
			if (this.notifications != null) {
				this.notifications.start();
			}
			logger.info("pgqueue worker {} started: queues {}, kinds {}", owner, this.queues.keySet(),
					this.handlers.kinds());
		}
	}

	private ScheduledExecutorService scheduler(String prefix) {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
				ExecutorFactory.threadFactory(prefix));
		this.schedulers.add(scheduler);
		return scheduler;
	}

	/**
	 * Stops gracefully: see the class description. Returns once every job is finished or released,
	 * within the shutdown timeout and the time the release takes.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.dispatcher.close();
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			// claiming stops first: a slot freed from here on must not claim again
			this.pollLoop.stop(deadline);
			if (this.notifications != null) {
				this.notifications.stop();
			}
			// claimed ahead and never started: given back at once, not after the drain
			List<InFlightJob> unstarted = new ArrayList<>();
			this.queues.values().forEach((slots) -> slots.drainWaiting().stream().filter(InFlightJob::release)
				.forEach(unstarted::add));
			release(unstarted, "claimed ahead and not started");
			this.leases.awaitSettled(deadline);
			List<InFlightJob> unfinished = this.leases.all().stream().filter(InFlightJob::release).toList();
			release(unfinished, "still running after the shutdown timeout of " + this.settings.shutdownTimeout());
			unfinished.forEach(InFlightJob::interruptIfRunning);
			JobRunner runner = this.runner;
			if (runner != null) {
				// outcomes still being written get what is left of a short grace
				runner.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
			}
			this.dispatcher.shutdownNow();
			this.schedulers.forEach(ScheduledExecutorService::shutdownNow);
			this.schedulers.clear();
			this.reserved.destroy();
			logger.info("pgqueue worker {} stopped: {}", this.settings.workerId(), this.stats);
		}
	}

	/** Gives the jobs back under their leases, on the reserved connection the pool cannot take away. */
	private void release(List<InFlightJob> jobs, String why) {
		if (jobs.isEmpty()) {
			return;
		}
		try {
			List<Long> released = this.reservedLeases.releaseIfOwned(jobs.stream().map(InFlightJob::lease).toList(),
					this.settings.workerId());
			this.stats.countReleased(released.size());
			logger.warn("pgqueue worker {} released {} job(s) {}: {}", this.settings.workerId(), released.size(), why,
					released);
		}
		catch (RuntimeException ex) {
			logger.error("pgqueue worker {} could not release {} job(s) {}; they will be rescued when their leases "
					+ "expire", this.settings.workerId(), jobs.size(), why, ex);
		}
		finally {
			jobs.forEach(InFlightJob::settle);
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
		return this.pollLoop.lastSuccess();
	}

	/** @return whether the last heartbeat reached the database (true before the first) */
	public boolean isHeartbeatHealthy() {
		LeaseHeartbeat heartbeat = this.heartbeat;
		return heartbeat == null || heartbeat.isHealthy();
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

	/** @return the state of this worker's LISTEN connection ({@code OFF} when notify is off) */
	public NotificationListener.State notifications() {
		return (this.notifications != null) ? this.notifications.state() : NotificationListener.State.OFF;
	}

	/** Makes the poller claim now rather than at its next interval. */
	public void wakeUp() {
		this.pollLoop.wakeUp();
	}

	/** Observes each handler's run ({@code pgqueue.execute}) from the next {@link #start()} on. */
	public void setObservations(JobObservations observations) {
		this.observations = java.util.Objects.requireNonNull(observations, "observations");
	}

	/**
	 * Makes this worker enqueue the ticks of periodic jobs (every node may; each tick becomes one job).
	 * Takes effect at {@link #start()}.
	 */
	public void setPeriodicScheduler(PeriodicScheduler periodic) {
		this.periodic = periodic;
	}

	/** @return the periodic jobs this worker enqueues the ticks of, with their schedules */
	public List<PeriodicJob> periodicJobs() {
		PeriodicScheduler periodic = this.periodic;
		return (periodic != null) ? periodic.jobs() : List.of();
	}

	private String installation() {
		String installation = this.installation;
		if (installation == null) {
			installation = this.store.installationId();
			this.installation = installation;
		}
		return installation;
	}

	private void beat(LeaseHeartbeat heartbeat) {
		try {
			heartbeat.runOnce();
			this.lastHeartbeatSuccess.set(Instant.now());
		}
		catch (RuntimeException ex) {
			// a broken connection is given back; the next beat takes a fresh one
			this.reserved.resetConnection();
			logger.warn("pgqueue worker {} could not renew its leases: {}; it claims nothing until a heartbeat "
					+ "succeeds", this.settings.workerId(), ex.getMessage());
		}
	}


	private void reap() {
		this.rescuer.runOnce();
		this.pruner.runOnce();
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

}
