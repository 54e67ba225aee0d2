package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.pgqueue.JobState;
import io.github.pgqueue.autoconfigure.QueueOverview;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.claim.NotificationListener;
import io.github.pgqueue.node.Worker;
import io.github.pgqueue.store.JobStore;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code pgqueue} health contributor: DOWN when the database cannot be reached, or when this
 * node's worker has not claimed successfully for {@value #MISSED_POLLS} poll intervals; details name
 * the worker, each queue's counts, the backlog and the dead jobs, and (as {@code unservedQueues})
 * the queues whose jobs wait though this node's configuration does not name them: unless another
 * node serves them, their jobs never run.
 * <p>
 * Behind a connection pooler in transaction mode (PgBouncer) it says what does not work there,
 * without changing the status: {@code notify} reads {@value #NOTIFY_UNAVAILABLE} when a LISTEN proved
 * unable to receive notifications (polling still finds every job), and {@code statements} names what
 * to set once a statement failed because of the driver's server-side prepared statements.
 */
public class PgQueueHealthIndicator extends AbstractHealthIndicator {

	/** Poll intervals without a successful claim after which the worker is reported DOWN. */
	static final int MISSED_POLLS = 3;

	/** The {@code notify} detail when LISTEN cannot work on pgqueue's connections. */
	static final String NOTIFY_UNAVAILABLE = "unavailable (behind a transaction pooler?): polling only; set "
			+ "pgqueue.notify=false, or give pgqueue a direct connection for LISTEN";

	private final JobStore store;

	private final EngineSettings settings;

	private final Supplier<@Nullable Worker> worker;

	public PgQueueHealthIndicator(JobStore store, EngineSettings settings, Supplier<@Nullable Worker> worker) {
		super("pgqueue health check failed");
		this.store = store;
		this.settings = settings;
		this.worker = worker;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		QueueOverview overview = QueueOverview.read(this.store, this.settings.queues().keySet());
		builder.withDetail("queues", overview.describe())
			.withDetail("backlog", overview.total(JobState.AVAILABLE))
			.withDetail("dead", overview.total(JobState.DEAD))
			.withDetail("unservedQueues", this.store.queues().findUnservedWaitingQueues(this.settings.queues().keySet()));
		this.store.poolerDiagnosis().problem().ifPresent((problem) -> builder.withDetail("statements", problem));
		Worker worker = this.worker.get();
		if (worker == null || !worker.isRunning()) {
			builder.up().withDetail("worker", "none on this node");
			return;
		}
		builder.withDetail("workerId", worker.workerId())
			.withDetail("running", worker.inFlight())
			.withDetail("notify", describe(worker.notifications()));
		Duration allowed = this.settings.pollInterval().multipliedBy(MISSED_POLLS).plusSeconds(1);
		Optional<Instant> lastPoll = worker.lastPollSuccess();
		Instant since = lastPoll.orElse(null);
		if (since != null && Duration.between(since, Instant.now()).compareTo(allowed) > 0) {
			builder.down()
				.withDetail("poller", "no successful claim since " + since + " (" + worker.stats().pollFailures()
						+ " failed polls)");
			return;
		}
		builder.up().withDetail("lastPoll", (since != null) ? since.toString() : "not yet");
	}

	private static String describe(NotificationListener.State notifications) {
		return switch (notifications) {
			case OFF -> "off: polling only";
			case CONNECTING -> "connecting";
			case LISTENING -> "listening";
			case UNAVAILABLE -> NOTIFY_UNAVAILABLE;
		};
	}

}
