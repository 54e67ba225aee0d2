package io.github.pgqueue;

/**
 * Thrown by {@link JobQueue} when a queue's {@code max-backlog} of available jobs is reached;
 * nothing was written. Callers should shed or slow the load (the sample maps it to HTTP 429).
 */
public class QueueFullException extends PgQueueException {

	private final String queue;

	private final long maxBacklog;

	public QueueFullException(String queue, long maxBacklog) {
		super("queue '" + queue + "' is full: its backlog reached max-backlog=" + maxBacklog);
		this.queue = queue;
		this.maxBacklog = maxBacklog;
	}

	public String getQueue() {
		return this.queue;
	}

	public long getMaxBacklog() {
		return this.maxBacklog;
	}

}
