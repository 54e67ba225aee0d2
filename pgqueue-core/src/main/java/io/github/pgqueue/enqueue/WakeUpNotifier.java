package io.github.pgqueue.enqueue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.store.EnqueueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Decides which enqueues send a LISTEN/NOTIFY wake-up. {@code NOTIFY} takes a database-wide lock at
 * commit, so a burst of enqueues must not become a burst of notifications: per queue, at most one
 * enqueue per window carries a {@code pg_notify} in its own statement (delivered at its commit); the
 * enqueues coalesced away within the window ask for one trailing notification, sent after they
 * committed, so that no runnable job waits for the poll interval.
 */
public final class WakeUpNotifier {

	private static final Logger logger = LoggerFactory.getLogger(WakeUpNotifier.class);

	/** The coalescing window. */
	static final long WINDOW_MILLIS = 5;

	private final EnqueueStore store;

	private final boolean enabled;

	private final Map<String, AtomicLong> lastNotify = new ConcurrentHashMap<>();

	private final Set<String> trailingPending = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService trailing;

	private volatile java.util.function.Consumer<String> localWorker = (queue) -> {
	};

	public WakeUpNotifier(EnqueueStore store, boolean enabled) {
		this.store = store;
		this.enabled = enabled;
	}

	/**
	 * Wakes this node's own worker directly once an enqueue is committed: it need not wait for the
	 * notification's round trip through the database.
	 * @param localWorker takes the queue of each committed enqueue
	 */
	public void setLocalWorker(java.util.function.Consumer<String> localWorker) {
		this.localWorker = localWorker;
	}

	/**
	 * Tells this node's worker, after commit, that a job runnable now was enqueued on the queue.
	 */
	public void enqueued(String queue) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					WakeUpNotifier.this.localWorker.accept(queue);
				}
			});
		}
		else {
			this.localWorker.accept(queue);
		}
	}

	/**
	 * @param queue the queue of an enqueue about to be written
	 * @return whether that enqueue should carry the wake-up itself
	 */
	public boolean claimWakeUp(String queue) {
		if (!this.enabled) {
			return false;
		}
		AtomicLong last = this.lastNotify.computeIfAbsent(queue, (name) -> new AtomicLong(System.nanoTime() - window()));
		long previous = last.get();
		long now = System.nanoTime();
		return now - previous >= window() && last.compareAndSet(previous, now);
	}

	/**
	 * Records that an enqueue on the queue was written without a wake-up: one trailing wake-up follows
	 * within the window, after the caller's transaction (if any) commits.
	 */
	public void coalesced(String queue) {
		if (!this.enabled) {
			return;
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					requestTrailing(queue);
				}
			});
		}
		else {
			requestTrailing(queue);
		}
	}

	private void requestTrailing(String queue) {
		if (!this.trailingPending.add(queue)) {
			return;
		}
		scheduler().schedule(() -> {
			this.trailingPending.remove(queue);
			this.lastNotify.computeIfAbsent(queue, (name) -> new AtomicLong()).set(System.nanoTime());
			try {
				this.store.notifyQueue(queue);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not send a wake-up for queue {}; workers will poll: {}", queue, ex.getMessage());
			}
		}, WINDOW_MILLIS, TimeUnit.MILLISECONDS);
	}

	private ScheduledExecutorService scheduler() {
		ScheduledExecutorService scheduler = this.trailing;
		if (scheduler == null) {
			synchronized (this) {
				scheduler = this.trailing;
				if (scheduler == null) {
					scheduler = Executors.newSingleThreadScheduledExecutor(ExecutorFactory.threadFactory("pgqueue-notify-"));
					this.trailing = scheduler;
				}
			}
		}
		return scheduler;
	}

	private static long window() {
		return TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
	}

}
