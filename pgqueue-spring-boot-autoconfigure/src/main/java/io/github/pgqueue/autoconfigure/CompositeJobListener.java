package io.github.pgqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every {@link JobListener} bean, in order; a listener that throws is logged and never
 * disturbs the job or the other listeners.
 */
final class CompositeJobListener implements JobListener {

	private static final Logger logger = LoggerFactory.getLogger(CompositeJobListener.class);

	private final List<JobListener> listeners;

	CompositeJobListener(List<JobListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	private void each(java.util.function.Consumer<JobListener> call) {
		for (JobListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("JobListener {} failed: {}", listener, ex.getMessage(), ex);
			}
		}
	}

	@Override
	public void onEnqueued(String queue, String kind) {
		each((listener) -> listener.onEnqueued(queue, kind));
	}

	@Override
	public void onStarted(String queue, String kind, Duration wait) {
		each((listener) -> listener.onStarted(queue, kind, wait));
	}

	@Override
	public void onCompleted(String queue, String kind, Duration execution) {
		each((listener) -> listener.onCompleted(queue, kind, execution));
	}

	@Override
	public void onFailed(String queue, String kind, JobState outcome, Duration execution) {
		each((listener) -> listener.onFailed(queue, kind, outcome, execution));
	}

	@Override
	public void onLeaseLost(String queue, String kind) {
		each((listener) -> listener.onLeaseLost(queue, kind));
	}

	@Override
	public void onRescued(int count) {
		each((listener) -> listener.onRescued(count));
	}

	@Override
	public void onPollSucceeded() {
		each(JobListener::onPollSucceeded);
	}

	@Override
	public void onPollFailed(Exception ex) {
		each((listener) -> listener.onPollFailed(ex));
	}

}
