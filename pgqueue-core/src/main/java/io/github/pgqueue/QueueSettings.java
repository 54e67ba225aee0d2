package io.github.pgqueue;


/**
 * One queue's settings.
 *
 * @param name the queue's name
 * @param concurrency how many of its jobs one worker runs at once; at least 1
 * @param maxBacklog available jobs allowed before enqueue throws
 * {@link io.github.pgqueue.QueueFullException}; 0 for no limit
 * @param paused whether this node starts with the queue paused
 * @param jobTimeout how long one attempt of this queue's jobs may run before its handler is
 * interrupted and the attempt fails; {@code null} for the engine's {@code job-timeout}
 */
public record QueueSettings(String name, int concurrency, long maxBacklog, boolean paused,
		java.time.@org.jspecify.annotations.Nullable Duration jobTimeout) {

	public static final String DEFAULT_QUEUE = "default";

	public QueueSettings {
		if (name == null || name.isBlank() || name.length() > EnqueueOptions.MAX_QUEUE_NAME_LENGTH) {
			throw new IllegalArgumentException("queue name must be non-blank and at most "
					+ EnqueueOptions.MAX_QUEUE_NAME_LENGTH + " characters, was '" + name + "'");
		}
		Settings.atLeast("queues." + name + ".concurrency", concurrency, 1);
		if (jobTimeout != null) {
			Settings.positive("queues." + name + ".job-timeout", jobTimeout);
		}
		if (maxBacklog < 0) {
			throw new IllegalArgumentException(
					"queues." + name + ".max-backlog must not be negative, was " + maxBacklog);
		}
	}

	public QueueSettings(String name, int concurrency, long maxBacklog, boolean paused) {
		this(name, concurrency, maxBacklog, paused, null);
	}

	public static QueueSettings of(String name, int concurrency) {
		return new QueueSettings(name, concurrency, 0, false);
	}

	/** @return these settings with the given job timeout */
	public QueueSettings withJobTimeout(java.time.Duration jobTimeout) {
		return new QueueSettings(this.name, this.concurrency, this.maxBacklog, this.paused, jobTimeout);
	}

	public boolean hasBacklogLimit() {
		return this.maxBacklog > 0;
	}

}
