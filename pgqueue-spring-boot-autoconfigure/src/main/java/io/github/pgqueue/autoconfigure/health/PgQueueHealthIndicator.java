package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.claim.NotificationListener;
import io.github.pgqueue.node.Worker;
import io.github.pgqueue.store.HorizonHolder;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.QueueHead;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code pgqueue} health contributor. It is DOWN when the database does not answer within the
 * health timeout (whatever the pool's connection timeout), or when this node's worker has not claimed,
 * or renewed its leases, successfully for {@value #MISSED_INTERVALS} intervals.
 * <p>
 * It costs the same however many finished jobs the table keeps: one read, on a thread of its own and
 * waited on no longer than the timeout, takes each queue's head from the claim and lease indexes (its oldest waiting job's age, its available and running jobs
 * counted up to {@value #COUNT_CAP}), the dead jobs up to the same cap, and, from
 * {@code pg_stat_activity} and {@code pg_prepared_xacts}, what holds the MVCC horizon back. A horizon held longer than
 * the warning threshold is reported as a {@code warning} detail while the status stays UP: the queue
 * still works (only slower), and restarting this node, as a failing liveness probe would, cannot end
 * another session's transaction. It also names (as {@code unservedQueues}) the queues whose jobs wait
 * though this node's configuration does not name them: unless another node serves them, their jobs
 * never run.
 * <p>
 * Behind a connection pooler in transaction mode (PgBouncer) it says what does not work there,
 * without changing the status: {@code notify} reads {@value #NOTIFY_UNAVAILABLE} when a LISTEN proved
 * unable to receive notifications (polling still finds every job), and {@code statements} names what
 * to set once a statement failed because of the driver's server-side prepared statements.
 */
public class PgQueueHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	/** Intervals without a successful claim, or heartbeat, after which the worker is reported DOWN. */
	static final int MISSED_INTERVALS = 3;

	/** The most jobs counted per queue and state, and dead jobs in all. */
	public static final int COUNT_CAP = 1000;

	/** The {@code notify} detail when LISTEN cannot work on pgqueue's connections. */
	static final String NOTIFY_UNAVAILABLE = "unavailable (behind a transaction pooler?): polling only; set "
			+ "pgqueue.notify=false, or give pgqueue a direct connection for LISTEN";

	private final JobStore store;

	private final EngineSettings settings;

	private final Supplier<@Nullable Worker> worker;

	private final Duration horizonWarning;

	private final DatabaseProbe<Snapshot> database;

	/**
	 * @param store the store to read
	 * @param settings the engine's settings
	 * @param worker this node's worker, if it has one
	 * @param horizonWarning age past which a held MVCC horizon is reported as a warning
	 * @param timeout the longest a check waits for the database
	 */
	public PgQueueHealthIndicator(JobStore store, EngineSettings settings, Supplier<@Nullable Worker> worker,
			Duration horizonWarning, Duration timeout) {
		super("pgqueue health check failed");
		this.settings = settings;
		this.worker = worker;
		this.horizonWarning = horizonWarning;
		List<String> queues = List.copyOf(settings.queues().keySet());
		this.database = new DatabaseProbe<>(() -> new Snapshot(store.monitor().queueHeads(queues, COUNT_CAP),
				store.monitor().countDeadUpTo(COUNT_CAP), store.monitor().oldestHorizonHolder(),
				store.queues().findUnservedWaitingQueues(settings.queues().keySet())), timeout);
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		String workerProblem = workerState(builder);
		DatabaseProbe.Outcome<Snapshot> answer = this.database.read();
		Snapshot snapshot = answer.value();
		if (snapshot == null) {
			builder.down().withDetail("database", String.valueOf(answer.failure()));
		}
		else {
			snapshot.describe(builder, this.horizonWarning);
		}
		this.store.poolerDiagnosis().problem().ifPresent((problem) -> builder.withDetail("statements", problem));
		if (workerProblem != null) {
			builder.down().withDetail("worker", workerProblem);
		}
		else if (snapshot != null) {
			builder.up();
		}
	}

	private static String describe(NotificationListener.State notifications) {
		return switch (notifications) {
			case OFF -> "off: polling only";
			case CONNECTING -> "connecting";
			case LISTENING -> "listening";
			case UNAVAILABLE -> NOTIFY_UNAVAILABLE;
		};
	}

	/** @return why the worker is unwell, or {@code null} when it is well (or there is none) */
	private @Nullable String workerState(Health.Builder builder) {
		Worker worker = this.worker.get();
		if (worker == null || !worker.isRunning()) {
			builder.withDetail("worker", "none on this node");
			return null;
		}
		builder.withDetail("workerId", worker.workerId())
			.withDetail("running", worker.inFlight())
			.withDetail("notify", describe(worker.notifications()));
		Optional<Instant> lastPoll = worker.lastPollSuccess();
		builder.withDetail("lastPoll", lastPoll.map(Instant::toString).orElse("not yet"));
		Instant now = Instant.now();
		if (stale(lastPoll, this.settings.pollInterval(), now)) {
			return "no successful claim since " + lastPoll.get() + " (" + worker.stats().pollFailures()
					+ " failed polls)";
		}
		Optional<Instant> lastHeartbeat = worker.lastHeartbeatSuccess();
		if (stale(lastHeartbeat, this.settings.heartbeatInterval(), now)) {
			return "no successful heartbeat since " + lastHeartbeat.get() + ": its " + worker.inFlight()
					+ " running job(s) may lose their leases";
		}
		return null;
	}

	private static boolean stale(Optional<Instant> last, Duration interval, Instant now) {
		Duration allowed = interval.multipliedBy(MISSED_INTERVALS).plusSeconds(1);
		return last.isPresent() && Duration.between(last.get(), now).compareTo(allowed) > 0;
	}

	@Override
	public void destroy() {
		this.database.close();
	}

	/**
	 * What one read of the database gives.
	 *
	 * @param queues each queue's head
	 * @param dead the dead jobs, up to {@link #COUNT_CAP}
	 * @param horizon the session holding the horizon back, if any
	 */
	record Snapshot(List<QueueHead> queues, long dead, Optional<HorizonHolder> horizon, List<String> unserved) {

		void describe(Health.Builder builder, Duration horizonWarning) {
			Map<String, Object> queues = new LinkedHashMap<>();
			long backlog = 0;
			for (QueueHead head : this.queues) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("available", head.available());
				entry.put("running", head.running());
				Duration oldest = head.oldestWaiting();
				entry.put("oldestWaitingSeconds", (oldest != null) ? oldest.toMillis() / 1000.0 : 0.0);
				queues.put(head.queue(), entry);
				backlog += head.available();
			}
			builder.withDetail("queues", queues)
				.withDetail("backlog", backlog)
				.withDetail("dead", this.dead)
				.withDetail("countsUpTo", COUNT_CAP)
				.withDetail("unservedQueues", this.unserved)
				.withDetail("horizon", horizon(horizonWarning));
		}

		private Map<String, Object> horizon(Duration warning) {
			Map<String, Object> described = new LinkedHashMap<>();
			HorizonHolder holder = this.horizon.orElse(null);
			if (holder == null) {
				described.put("ageSeconds", 0.0);
				return described;
			}
			described.put("ageSeconds", holder.age().toMillis() / 1000.0);
			described.put("holder", holder.holder());
			if (holder.pid() != null) {
				described.put("pid", holder.pid());
			}
			described.put("name", String.valueOf(holder.name()));
			described.put("state", String.valueOf(holder.state()));
			if (holder.age().compareTo(warning) > 0) {
				String who = holder.holder() + ((holder.pid() != null) ? " " + holder.pid() : "") + " ("
						+ holder.name() + ", " + holder.state() + ")";
				described.put("warning", who + " has held the MVCC horizon back for " + holder.age().toSeconds()
						+ " s, longer than " + warning + ": vacuum cannot remove finished jobs' dead rows and"
						+ " claims slow down until it ends");
			}
			return described;
		}

	}

}
