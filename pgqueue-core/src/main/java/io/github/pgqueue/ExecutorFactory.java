package io.github.pgqueue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the executor that runs one queue's handlers. The worker never submits more tasks than
 * the queue's concurrency, so an executor need not queue or bound anything itself.
 */
@FunctionalInterface
public interface ExecutorFactory {

	ExecutorService create(String queue, int concurrency);

	/** @return platform threads, {@code concurrency} per queue, named {@code pgqueue-<queue>-<n>} */
	static ExecutorFactory platformThreads() {
		return (queue, concurrency) -> Executors.newFixedThreadPool(concurrency, threadFactory("pgqueue-" + queue + "-"));
	}

	/**
	 * @param prefix the thread name prefix
	 * @return daemon threads named with the prefix and a counter
	 */
	static ThreadFactory threadFactory(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
