package io.github.pgqueue.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import io.github.pgqueue.ExecutorFactory;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Handler executors on virtual threads (Java 21+), one new thread per job, used when
 * {@code spring.threads.virtual.enabled=true}. The worker bounds concurrency itself.
 */
final class VirtualThreads {

	private VirtualThreads() {
	}

	static ExecutorFactory executorFactory() {
		Method threadPerTask;
		try {
			threadPerTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("spring.threads.virtual.enabled=true needs Java 21 or later", ex);
		}
		return (queue, concurrency) -> {
			ThreadFactory factory = new VirtualThreadTaskExecutor("pgqueue-" + queue + "-").getVirtualThreadFactory();
			try {
				return (ExecutorService) threadPerTask.invoke(null, factory);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("could not create a virtual-thread executor", ex);
			}
		};
	}

}
