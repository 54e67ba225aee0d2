package io.github.pgqueue.node;

import java.time.Duration;

import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobState;
import io.github.pgqueue.execute.WorkerStats;

/** Counts what a worker's stats need on the way to the user's listener. */
final class CountingListener implements JobListener {

	private final JobListener delegate;

	private final WorkerStats stats;

	CountingListener(JobListener delegate, WorkerStats stats) {
		this.delegate = delegate;
		this.stats = stats;
	}

	@Override
	public void onStarted(String queue, String kind, Duration wait) {
		this.delegate.onStarted(queue, kind, wait);
	}

	@Override
	public void onCompleted(String queue, String kind, Duration execution) {
		this.delegate.onCompleted(queue, kind, execution);
	}

	@Override
	public void onFailed(String queue, String kind, JobState outcome, Duration execution) {
		this.delegate.onFailed(queue, kind, outcome, execution);
	}

	@Override
	public void onLeaseLost(String queue, String kind) {
		this.stats.countLeaseLost();
		this.delegate.onLeaseLost(queue, kind);
	}

	@Override
	public void onRescued(int count) {
		this.delegate.onRescued(count);
	}

	@Override
	public void onPollSucceeded() {
		this.delegate.onPollSucceeded();
	}

	@Override
	public void onPollFailed(Exception ex) {
		this.stats.countPollFailure();
		this.delegate.onPollFailed(ex);
	}

}
