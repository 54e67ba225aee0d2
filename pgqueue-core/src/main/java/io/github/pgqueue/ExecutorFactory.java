package io.github.pgqueue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the executor that runs one queue's handlers. The worker hands it a job only while the job
 * holds one of the queue's {@code concurrency} permits, so an executor need not queue or bound
 * anything itself; it should not be of fixed size either, since a handler abandoned past its job
 * timeout keeps its thread while its permit goes to the next job.
 */
@FunctionalInterface
public interface ExecutorFactory {

	ExecutorService create(String queue, int concurrency);

	/**
	 * @return platform threads named {@code pgqueue-<queue>-<n>}, as many as the queue's permits keep
	 * busy (its concurrency), kept a minute when idle; a handler abandoned past its timeout keeps its
	 * thread without holding back the queue's capacity, as a pool of fixed size would
	 */
	static ExecutorFactory platformThreads() {
		return (queue, concurrency) -> new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
				java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
				threadFactory("pgqueue-" + queue + "-"));
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
