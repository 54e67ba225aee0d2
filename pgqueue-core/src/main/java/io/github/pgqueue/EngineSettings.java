package io.github.pgqueue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.github.pgqueue.config.SqlIdentifier;


/**
 * Everything the engine is configured with, validated as a whole: a bad value fails construction
 * with a message naming the setting.
 *
 * @param schema the schema holding pgqueue's tables; a plain SQL identifier, not a reserved keyword nor a
 * system schema ({@code information_schema}, {@code pg_*})
 * @param workerId this node's worker id, stored as {@code lease_owner}
 * @param leaseDuration how long a claim or a heartbeat keeps a job's lease
 * @param heartbeatInterval how often leases are renewed; shorter than the lease
 * @param pollInterval how often an idle worker polls for jobs
 * @param reaperInterval how often expired leases are rescued and finished jobs pruned
 * @param shutdownTimeout how long shutdown waits for running jobs before releasing them
 * @param priorityAging the wait after which a job gains one priority step
 * @param maxPayloadSize the largest payload accepted, in bytes of JSON
 * @param retry retry defaults
 * @param retention retention of finished jobs
 * @param queues the queues this node knows, by name
 * @param notifyEnabled whether enqueues wake idle workers with LISTEN/NOTIFY (polling remains the fallback)
 * @param cancelGracePeriod how long a running job whose cancel was requested may go on before its
 * handler thread is interrupted
 * @param jobTimeout how long one attempt may run before its handler is interrupted and the attempt
 * fails, unless its queue or handler says otherwise; {@code null} for none
 */
public record EngineSettings(String schema, String workerId, Duration leaseDuration, Duration heartbeatInterval,
		Duration pollInterval, Duration reaperInterval, Duration shutdownTimeout, Duration priorityAging,
		long maxPayloadSize, RetrySettings retry, RetentionSettings retention, Map<String, QueueSettings> queues,
		boolean notifyEnabled, Duration cancelGracePeriod, @org.jspecify.annotations.Nullable Duration jobTimeout) {

	/** The most rows one maintenance statement touches. */
	public static final int MAINTENANCE_BATCH = 1000;

	public EngineSettings {
		SqlIdentifier.requireSchema("schema", schema);
		if (workerId == null || workerId.isBlank() || workerId.length() > 255) {
			throw new IllegalArgumentException(
					"worker.id must be non-blank and at most 255 characters, was '" + workerId + "'");
		}
		Settings.positive("lease-duration", leaseDuration);
		Settings.positive("heartbeat-interval", heartbeatInterval);
		Settings.positive("poll-interval", pollInterval);
		Settings.positive("reaper-interval", reaperInterval);
		Settings.notNegative("shutdown-timeout", shutdownTimeout);
		Settings.positive("priority-aging", priorityAging);
		Settings.notNegative("cancel-grace-period", cancelGracePeriod);
		if (jobTimeout != null) {
			Settings.positive("job-timeout", jobTimeout);
		}
		if (heartbeatInterval.compareTo(leaseDuration) >= 0) {
			throw new IllegalArgumentException("heartbeat-interval (" + heartbeatInterval
					+ ") must be shorter than lease-duration (" + leaseDuration + ")");
		}
		if (maxPayloadSize < 2) {
			throw new IllegalArgumentException("max-payload-size must be at least 2 bytes, was " + maxPayloadSize);
		}
		if (retry == null || retention == null) {
			throw new IllegalArgumentException("retry and retention settings are required");
		}
		queues = Map.copyOf(new LinkedHashMap<>(queues));
		queues.forEach((name, queue) -> {
			if (!name.equals(queue.name())) {
				throw new IllegalArgumentException("queues." + name + " holds the settings of queue '" + queue.name()
						+ "'");
			}
		});
	}

	/**
	 * @param queue the queue
	 * @param handlerTimeout the handler's own timeout, if it has one
	 * @return the job timeout of one attempt: the handler's, else its queue's, else the engine's
	 */
	public java.util.Optional<Duration> jobTimeoutFor(String queue, @org.jspecify.annotations.Nullable Duration handlerTimeout) {
		if (handlerTimeout != null) {
			return java.util.Optional.of(handlerTimeout);
		}
		QueueSettings settings = this.queues.get(queue);
		if (settings != null && settings.jobTimeout() != null) {
			return java.util.Optional.of(settings.jobTimeout());
		}
		return java.util.Optional.ofNullable(this.jobTimeout);
	}

	public static Builder builder() {
		return new Builder();
	}

	/** @return a worker id made of host name, process id and a random suffix */
	public static String defaultWorkerId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "localhost";
		}
		long pid = ManagementFactory.getRuntimeMXBean().getPid();
		String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
		return host + "-" + pid + "-" + suffix;
	}

	/**
	 * @param name a queue name
	 * @return its settings: configured ones, or concurrency 1 with no backlog limit
	 */
	public QueueSettings queue(String name) {
		QueueSettings queue = this.queues.get(name);
		return (queue != null) ? queue : QueueSettings.of(name, 1);
	}

	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.schema = this.schema;
		builder.workerId = this.workerId;
		builder.leaseDuration = this.leaseDuration;
		builder.heartbeatInterval = this.heartbeatInterval;
		builder.pollInterval = this.pollInterval;
		builder.reaperInterval = this.reaperInterval;
		builder.shutdownTimeout = this.shutdownTimeout;
		builder.priorityAging = this.priorityAging;
		builder.maxPayloadSize = this.maxPayloadSize;
		builder.retry = this.retry;
		builder.retention = this.retention;
		builder.queues = new LinkedHashMap<>(this.queues);
		builder.notifyEnabled = this.notifyEnabled;
		builder.cancelGracePeriod = this.cancelGracePeriod;
		builder.jobTimeout = this.jobTimeout;
		return builder;
	}

	/** Builds {@link EngineSettings} from DESIGN.md's defaults. */
	public static final class Builder {

		private String schema = "public";

		private String workerId = defaultWorkerId();

		private Duration leaseDuration = Duration.ofSeconds(30);

		private Duration heartbeatInterval = Duration.ofSeconds(10);

		private Duration pollInterval = Duration.ofSeconds(1);

		private Duration reaperInterval = Duration.ofSeconds(5);

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Duration priorityAging = Duration.ofMinutes(1);

		private long maxPayloadSize = 1024 * 1024;

		private RetrySettings retry = RetrySettings.defaults();

		private RetentionSettings retention = RetentionSettings.defaults();

		private Map<String, QueueSettings> queues = new LinkedHashMap<>(
				Map.of(QueueSettings.DEFAULT_QUEUE, QueueSettings.of(QueueSettings.DEFAULT_QUEUE, 10)));

		private boolean notifyEnabled = true;

		private Duration cancelGracePeriod = Duration.ofSeconds(10);

		private @org.jspecify.annotations.Nullable Duration jobTimeout;

		/** @param jobTimeout the default job timeout, {@code null} for none */
		public Builder jobTimeout(@org.jspecify.annotations.Nullable Duration jobTimeout) {
			this.jobTimeout = jobTimeout;
			return this;
		}

		public Builder cancelGracePeriod(Duration cancelGracePeriod) {
			this.cancelGracePeriod = cancelGracePeriod;
			return this;
		}

		private Builder() {
		}

		/** Whether enqueues wake idle workers with LISTEN/NOTIFY; off behind PgBouncer in transaction mode. */
		public Builder notifyEnabled(boolean notifyEnabled) {
			this.notifyEnabled = notifyEnabled;
			return this;
		}

		public Builder schema(String schema) {
			this.schema = schema;
			return this;
		}

		public Builder workerId(String workerId) {
			this.workerId = workerId;
			return this;
		}

		public Builder leaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
			return this;
		}

		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
			return this;
		}

		public Builder reaperInterval(Duration reaperInterval) {
			this.reaperInterval = reaperInterval;
			return this;
		}

		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		public Builder priorityAging(Duration priorityAging) {
			this.priorityAging = priorityAging;
			return this;
		}

		public Builder maxPayloadSize(long maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
			return this;
		}

		public Builder retry(RetrySettings retry) {
			this.retry = retry;
			return this;
		}

		public Builder retention(RetentionSettings retention) {
			this.retention = retention;
			return this;
		}

		/** Replaces all queues with these. */
		public Builder queues(List<QueueSettings> queues) {
			this.queues = new LinkedHashMap<>();
			queues.forEach(this::queue);
			return this;
		}

		/** Adds or replaces one queue. */
		public Builder queue(QueueSettings queue) {
			this.queues.put(queue.name(), queue);
			return this;
		}

		public EngineSettings build() {
			return new EngineSettings(this.schema, this.workerId, this.leaseDuration, this.heartbeatInterval,
					this.pollInterval, this.reaperInterval, this.shutdownTimeout, this.priorityAging,
					this.maxPayloadSize, this.retry, this.retention, this.queues, this.notifyEnabled, this.cancelGracePeriod,
					this.jobTimeout);
		}

	}

	/** @return the default queue name, for options that name none */
	public static String defaultQueue(EnqueueOptions options) {
		return options.queue().orElse(QueueSettings.DEFAULT_QUEUE);
	}

}
