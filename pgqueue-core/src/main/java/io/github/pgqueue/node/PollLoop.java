package io.github.pgqueue.node;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.ExecutorFactory;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.claim.JobPoller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller's thread: claims at every poll interval, at once when woken (a NOTIFY, a freed slot, an
 * enqueue on this node), and again at once while claims come back full. It claims nothing while the
 * node's heartbeat fails, since leases it could not renew would be lost.
 */
final class PollLoop {

	private static final Logger logger = LoggerFactory.getLogger(PollLoop.class);

	private final JobPoller poller;

	private final EngineSettings settings;

	private final JobListener listener;

	private final BooleanSupplier mayClaim;

	private final Semaphore wakeUps = new Semaphore(0);

	private final AtomicReference<@Nullable Instant> lastSuccess = new AtomicReference<>();

	private volatile boolean running;

	private @Nullable Thread thread;

	PollLoop(JobPoller poller, EngineSettings settings, JobListener listener, BooleanSupplier mayClaim) {
		this.poller = poller;
		this.settings = settings;
		this.listener = listener;
		this.mayClaim = mayClaim;
	}

	void start() {
		this.running = true;
		Thread thread = ExecutorFactory.threadFactory("pgqueue-poller-").newThread(this::loop);
		this.thread = thread;
		thread.start();
	}

	/** Stops claiming, and waits for a claim under way (until the deadline, at most 10 s). */
	void stop(long deadlineNanos) {
		this.running = false;
		wakeUp();
		Thread thread = this.thread;
		if (thread != null) {
			try {
				thread.join(Math.max(1, Math.min(TimeUnit.SECONDS.toMillis(10),
						TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	void wakeUp() {
		if (this.wakeUps.availablePermits() == 0) {
			this.wakeUps.release();
		}
	}

	Optional<Instant> lastSuccess() {
		return Optional.ofNullable(this.lastSuccess.get());
	}

	private void loop() {
		long failures = 0;
		while (this.running) {
			boolean claimAgain = false;
			try {
				if (this.mayClaim.getAsBoolean()) {
					claimAgain = this.poller.runOnce().claimAgain();
					this.lastSuccess.set(Instant.now());
					this.listener.onPollSucceeded();
				}
				if (failures > 0) {
					logger.info("pgqueue worker {} claims again after {} failed poll(s)", this.settings.workerId(),
							failures);
				}
				failures = 0;
			}
			catch (RuntimeException ex) {
				failures++;
				this.listener.onPollFailed(ex);
				if (failures == 1 || failures % 60 == 0) {
					logger.warn("pgqueue worker {} could not claim jobs ({} time(s) in a row): {}",
							this.settings.workerId(), failures, ex.getMessage());
				}
			}
			if (!claimAgain && this.running) {
				try {
					this.wakeUps.tryAcquire(this.settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
					this.wakeUps.drainPermits();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

}
