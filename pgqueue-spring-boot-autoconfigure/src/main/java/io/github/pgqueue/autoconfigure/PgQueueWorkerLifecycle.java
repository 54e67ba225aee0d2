package io.github.pgqueue.autoconfigure;

import java.util.function.Supplier;

import io.github.pgqueue.node.Worker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs this node's {@link Worker} with the application context: it starts once every singleton
 * (and so every {@code @JobHandler}) exists, and stops gracefully within
 * {@code pgqueue.shutdown-timeout}, before the DataSource is closed. The worker's threads stay
 * private to it: no executor or scheduler is published as a bean.
 */
public class PgQueueWorkerLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PgQueueWorkerLifecycle.class);

	private final Supplier<Worker> workerFactory;

	private volatile @Nullable Worker worker;

	/**
	 * @param workerFactory creates the worker at start, when every handler has been discovered
	 */
	public PgQueueWorkerLifecycle(Supplier<Worker> workerFactory) {
		this.workerFactory = workerFactory;
	}

	@Override
	public void start() {
		Worker worker = this.workerFactory.get();
		this.worker = worker;
		worker.start();
	}

	@Override
	public void stop() {
		Worker worker = this.worker;
		if (worker != null) {
			worker.stop();
		}
	}

	@Override
	public void stop(Runnable callback) {
		// stop on a thread of its own so that other lifecycles stop in parallel with the drain
		Thread thread = new Thread(() -> {
			try {
				stop();
			}
			catch (RuntimeException ex) {
				logger.error("pgqueue worker did not stop cleanly", ex);
			}
			finally {
				callback.run();
			}
		}, "pgqueue-shutdown");
		thread.start();
	}

	@Override
	public boolean isRunning() {
		Worker worker = this.worker;
		return worker != null && worker.isRunning();
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	/**
	 * @param lifecycle the lifecycle bean, absent on a producer-only node
	 * @return a supplier of this node's worker, or of {@code null} when there is none
	 */
	public static java.util.function.Supplier<@Nullable Worker> workerOf(
			org.springframework.beans.factory.ObjectProvider<PgQueueWorkerLifecycle> lifecycle) {
		return () -> {
			PgQueueWorkerLifecycle worker = lifecycle.getIfAvailable();
			return (worker != null) ? worker.getWorker() : null;
		};
	}

	/** @return the running worker, if started */
	public @Nullable Worker getWorker() {
		return this.worker;
	}

}
