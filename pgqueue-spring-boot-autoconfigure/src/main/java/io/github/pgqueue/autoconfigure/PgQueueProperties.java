package io.github.pgqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for pgqueue. Unknown properties under {@code pgqueue} fail the start, so
 * a mistyped option is never silently ignored.
 */
@ConfigurationProperties(prefix = "pgqueue", ignoreUnknownFields = false)
public class PgQueueProperties {

	/**
	 * Whether pgqueue is enabled at all.
	 */
	private boolean enabled = true;

	/**
	 * Schema holding pgqueue's tables. Must be a plain SQL identifier, neither a reserved keyword nor a system
	 * schema (information_schema, pg_*).
	 */
	private String schema = "public";

	/**
	 * Whether to apply the bundled Liquibase changelog at startup (needs liquibase-core).
	 */
	private boolean migrate = true;

	/**
	 * How long a claim or a heartbeat keeps a job's lease. A worker that stops renewing loses its jobs
	 * to others after this long.
	 */
	private Duration leaseDuration = Duration.ofSeconds(30);

	/**
	 * How often a worker renews the leases of its running jobs. Must be shorter than the lease.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(10);

	/**
	 * How often an idle worker polls for jobs.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * Whether to wake idle workers with LISTEN/NOTIFY when jobs are enqueued. Turn off behind
	 * PgBouncer in transaction mode; polling still finds every job.
	 */
	private boolean notify = true;

	/**
	 * How often expired leases are rescued and finished jobs past retention pruned.
	 */
	private Duration reaperInterval = Duration.ofSeconds(5);

	/**
	 * How long shutdown waits for running jobs before releasing them to other workers.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Wait after which an available job gains one priority step, so that none starves.
	 */
	private Duration priorityAging = Duration.ofMinutes(1);

	/**
	 * How long a running job whose cancel was requested may go on (it sees
	 * JobContext.isCancellationRequested()) before its handler thread is interrupted.
	 */
	private Duration cancelGracePeriod = Duration.ofSeconds(10);

	/**
	 * How long one attempt may run before its handler thread is interrupted and the attempt fails
	 * with an error saying it timed out (then retries with backoff or goes dead). A handler that
	 * ignores the interrupt has its attempt failed without it after cancel-grace-period, and its lease
	 * let go. Overridden by pgqueue.queues.<name>.job-timeout and @JobHandler(timeout). Empty: none.
	 */
	private @Nullable Duration jobTimeout;

	public @Nullable Duration getJobTimeout() {
		return this.jobTimeout;
	}

	public void setJobTimeout(@Nullable Duration jobTimeout) {
		this.jobTimeout = jobTimeout;
	}

	/**
	 * Largest payload accepted by enqueue, as JSON.
	 */
	private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

	private final Worker worker = new Worker();

	private final Retry retry = new Retry();

	private final Retention retention = new Retention();

	private final Health health = new Health();

	private final Dashboard dashboard = new Dashboard();

	/**
	 * Queues by name, each with its concurrency on this node and its backlog limit.
	 */
	private Map<String, Queue> queues = new LinkedHashMap<>(Map.of("default", new Queue()));

	/**
	 * Periodic jobs by name: each tick of its cron expression enqueues one job, however many nodes run.
	 */
	private Map<String, Periodic> periodic = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getSchema() {
		return this.schema;
	}

	public void setSchema(String schema) {
		this.schema = schema;
	}

	public boolean isMigrate() {
		return this.migrate;
	}

	public void setMigrate(boolean migrate) {
		this.migrate = migrate;
	}

	public Duration getLeaseDuration() {
		return this.leaseDuration;
	}

	public void setLeaseDuration(Duration leaseDuration) {
		this.leaseDuration = leaseDuration;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public boolean isNotify() {
		return this.notify;
	}

	public void setNotify(boolean notify) {
		this.notify = notify;
	}

	public Duration getReaperInterval() {
		return this.reaperInterval;
	}

	public void setReaperInterval(Duration reaperInterval) {
		this.reaperInterval = reaperInterval;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getPriorityAging() {
		return this.priorityAging;
	}

	public void setPriorityAging(Duration priorityAging) {
		this.priorityAging = priorityAging;
	}

	public Duration getCancelGracePeriod() {
		return this.cancelGracePeriod;
	}

	public void setCancelGracePeriod(Duration cancelGracePeriod) {
		this.cancelGracePeriod = cancelGracePeriod;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Health getHealth() {
		return this.health;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
	}

	public void setQueues(Map<String, Queue> queues) {
		this.queues = queues;
	}

	public Map<String, Periodic> getPeriodic() {
		return this.periodic;
	}

	public void setPeriodic(Map<String, Periodic> periodic) {
		this.periodic = periodic;
	}

	/**
	 * One periodic job.
	 */
	public static class Periodic {

		/**
		 * Cron expression (six fields, seconds first), for example "0 0 * * * *" for hourly.
		 */
		private @Nullable String cron;

		/**
		 * Kind of the jobs enqueued. Defaults to the periodic job's name.
		 */
		private @Nullable String kind;

		/**
		 * Queue of the jobs enqueued.
		 */
		private String queue = "default";

		/**
		 * Time zone the cron expression is read in.
		 */
		private String zone = "UTC";

		/**
		 * What to do about ticks missed while no node ran: skip, once or all.
		 */
		private io.github.pgqueue.MissedTicks missed = io.github.pgqueue.MissedTicks.ONCE;

		/**
		 * Payload of each job enqueued.
		 */
		private Map<String, Object> payload = new LinkedHashMap<>();

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable String getKind() {
			return this.kind;
		}

		public void setKind(@Nullable String kind) {
			this.kind = kind;
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public io.github.pgqueue.MissedTicks getMissed() {
			return this.missed;
		}

		public void setMissed(io.github.pgqueue.MissedTicks missed) {
			this.missed = missed;
		}

		public Map<String, Object> getPayload() {
			return this.payload;
		}

		public void setPayload(Map<String, Object> payload) {
			this.payload = payload;
		}

	}

	/**
	 * This node's worker.
	 */
	public static class Worker {

		/**
		 * Whether this node runs jobs. False gives a producer-only node.
		 */
		private boolean enabled = true;

		/**
		 * This node's worker id, stored as the lease owner. Defaults to host, process id and a random
		 * suffix.
		 */
		private @Nullable String id;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

	}

	/**
	 * Retry defaults.
	 */
	public static class Retry {

		/**
		 * Attempts before a job goes to the dead letter, unless enqueued with its own.
		 */
		private int maxAttempts = 25;

		/**
		 * Delay after the first failed attempt.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Factor by which each further delay grows.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay between attempts.
		 */
		private Duration maxBackoff = Duration.ofHours(1);

		/**
		 * Random spread around each delay, from 0 (none) to 1 (up to plus or minus 100%).
		 */
		private double jitter = 0.2;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * How long finished jobs are kept.
	 */
	public static class Retention {

		/**
		 * Retention of completed jobs. 0 deletes a completed job with its completion's own
		 * statement (its runOnce steps with it), instead of leaving it to the pruner.
		 */
		private Duration completed = Duration.ofHours(1);

		/**
		 * Retention of cancelled jobs.
		 */
		private Duration cancelled = Duration.ofDays(1);

		/**
		 * Retention of dead jobs.
		 */
		private Duration dead = Duration.ofDays(7);

		public Duration getCompleted() {
			return this.completed;
		}

		public void setCompleted(Duration completed) {
			this.completed = completed;
		}

		public Duration getCancelled() {
			return this.cancelled;
		}

		public void setCancelled(Duration cancelled) {
			this.cancelled = cancelled;
		}

		public Duration getDead() {
			return this.dead;
		}

		public void setDead(Duration dead) {
			this.dead = dead;
		}

	}

	/**
	 * The web dashboard, served when {@code pgqueue-dashboard} is on the class path of a servlet web
	 * application. Bound here so that the strict {@code pgqueue} binding accepts it.
	 */
	public static class Dashboard {


		/** Whether to serve the dashboard. */
		private boolean enabled = true;

		/** The path the dashboard is served under, within the application's context path. */
		private String path = "/pgqueue";

		/**
		 * Whether the dashboard only shows: retry, cancel, discard, retry-dead and pause/resume are refused
		 * with 403 while it is read-only.
		 */
		private boolean readOnly = true;

		/** With Spring Security, the role a user needs to act (the application's security decides who may look). */
		private String role = "PGQUEUE_ADMIN";

		/**
		 * Whether actions are allowed when the application has no Spring Security (anyone who reaches the
		 * dashboard could then act): off unless set.
		 */
		private boolean allowActionsWithoutSecurity = false;

		/** How often the overview refreshes itself in the browser. */
		private Duration refreshInterval = Duration.ofSeconds(5);

		/** How many jobs a page of the job list shows. */
		private int pageSize = 50;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public boolean isReadOnly() {
			return this.readOnly;
		}

		public void setReadOnly(boolean readOnly) {
			this.readOnly = readOnly;
		}

		public String getRole() {
			return this.role;
		}

		public void setRole(String role) {
			this.role = role;
		}

		public boolean isAllowActionsWithoutSecurity() {
			return this.allowActionsWithoutSecurity;
		}

		public void setAllowActionsWithoutSecurity(boolean allowActionsWithoutSecurity) {
			this.allowActionsWithoutSecurity = allowActionsWithoutSecurity;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public int getPageSize() {
			return this.pageSize;
		}

		public void setPageSize(int pageSize) {
			this.pageSize = pageSize;
		}

	}

	/**
	 * The {@code pgqueue} health contributor.
	 */
	public static class Health {

		/**
		 * Age past which the oldest transaction holding the MVCC horizon back (so that vacuum cannot
		 * remove finished jobs' dead rows) is reported as a warning. Health stays UP.
		 */
		private Duration horizonWarning = Duration.ofMinutes(5);

		/**
		 * Longest a health check waits for the database before answering DOWN, whatever the pool's
		 * connection timeout.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public Duration getHorizonWarning() {
			return this.horizonWarning;
		}

		public void setHorizonWarning(Duration horizonWarning) {
			this.horizonWarning = horizonWarning;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * One queue.
	 */
	public static class Queue {

		/**
		 * How many of this queue's jobs this node runs at once.
		 */
		private int concurrency = 10;

		/**
		 * Available jobs allowed before enqueue throws QueueFullException; 0 for no limit.
		 */
		private long maxBacklog = 0;

		/**
		 * How long one attempt of this queue's jobs may run before its handler thread is
		 * interrupted and the attempt fails; overrides pgqueue.job-timeout. Empty for that default.
		 */
		private @Nullable Duration jobTimeout;

		/**
		 * Whether this node starts with the queue paused.
		 */
		private boolean paused = false;

		public @Nullable Duration getJobTimeout() {
			return this.jobTimeout;
		}

		public void setJobTimeout(@Nullable Duration jobTimeout) {
			this.jobTimeout = jobTimeout;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public long getMaxBacklog() {
			return this.maxBacklog;
		}

		public void setMaxBacklog(long maxBacklog) {
			this.maxBacklog = maxBacklog;
		}

		public boolean isPaused() {
			return this.paused;
		}

		public void setPaused(boolean paused) {
			this.paused = paused;
		}

	}

}
