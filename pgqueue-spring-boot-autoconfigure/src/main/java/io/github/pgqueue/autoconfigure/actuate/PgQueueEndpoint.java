package io.github.pgqueue.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.github.pgqueue.JobError;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.SideEffectInfo;
import io.github.pgqueue.autoconfigure.QueueOverview;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.node.Worker;
import io.github.pgqueue.store.JobStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code pgqueue} actuator endpoint.
 * <ul>
 * <li>{@code GET /actuator/pgqueue}: per queue, job counts by state and the oldest waiting age; the
 * paused queues; and the unserved ones, whose jobs wait though this node's configuration does not name
 * them;</li>
 * <li>{@code GET /actuator/pgqueue/{jobId}}: one job;</li>
 * <li>{@code POST /actuator/pgqueue/{jobId}} with {@code {"action":"retry"|"cancel"}};</li>
 * <li>{@code DELETE /actuator/pgqueue/{jobId}}: discard a dead job;</li>
 * <li>{@code GET /actuator/pgqueue/dead?kind=&limit=}: the dead letter;</li>
 * <li>{@code POST /actuator/pgqueue/dead} with {@code {"action":"retry","kind":"..."}}: retry all dead jobs of a
 * kind;</li>
 * <li>{@code POST /actuator/pgqueue/queues/{queue}} with {@code {"action":"pause"|"resume"}} (for every
 * node); only a queue the configuration names can be paused.</li>
 * </ul>
 * The write operations (POST and DELETE) are off by default: the endpoint's default access is
 * {@link Access#READ_ONLY}. {@code management.endpoint.pgqueue.access=unrestricted} turns them on, and
 * then they should be secured (Spring Security, a role), for they cancel, retry and discard jobs and
 * pause queues on every node.
 */
@Endpoint(id = "pgqueue", defaultAccess = Access.READ_ONLY)
public class PgQueueEndpoint {

	private static final String DEAD = "dead";

	/** The most dead jobs one read lists, as {@link JobQueue#findDead} accepts. */
	private static final int MAX_DEAD_LIMIT = 1000;

	private final JobQueue jobQueue;

	private final JobOperations operations;

	private final JobStore store;

	private final EngineSettings settings;

	private final Supplier<@Nullable Worker> worker;

	private final ObjectReader payloadReader;

	/**
	 * @param json the mapper payloads are stored with; the endpoint shows each payload as the JSON it is
	 */
	public PgQueueEndpoint(JobQueue jobQueue, JobOperations operations, JobStore store, EngineSettings settings,
			Supplier<@Nullable Worker> worker, JsonMapper json) {
		this.jobQueue = jobQueue;
		this.operations = operations;
		this.store = store;
		this.settings = settings;
		this.worker = worker;
		// plain maps, lists and numbers (exact decimals): whichever JSON mapper the actuator writes with
		this.payloadReader = json.readerFor(Object.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
	}

	@ReadOperation
	public Map<String, Object> queues() {
		Map<String, Object> body = new LinkedHashMap<>();
		Worker worker = this.worker.get();
		body.put("workerId", (worker != null) ? worker.workerId() : null);
		body.put("pausedQueues", this.operations.pausedQueues());
		body.put("unservedQueues", this.store.queues().findUnservedWaitingQueues(this.settings.queues().keySet()));
		body.put("queues", QueueOverview.read(this.store, this.settings.queues().keySet()).describe());
		return body;
	}

	/**
	 * {@code GET /actuator/pgqueue/{jobId}}: one job; {@code GET /actuator/pgqueue/dead?kind=&limit=}:
	 * the dead letter, most recently dead first.
	 */
	@ReadOperation
	public @Nullable Object item(@Selector String target, @Nullable String kind, @Nullable Integer limit) {
		if (DEAD.equals(target)) {
			Map<String, Object> body = new LinkedHashMap<>();
			if (limit != null && (limit < 1 || limit > MAX_DEAD_LIMIT)) {
				throw new InvalidEndpointRequestException("Invalid limit",
						"limit must be from 1 to " + MAX_DEAD_LIMIT + ", was " + limit);
			}
			body.put("jobs", this.operations.findDead(kind, (limit != null) ? limit : 100)
				.stream()
				.map(this::describe)
				.toList());
			return body;
		}
		long jobId = jobId(target);
		if (jobId <= 0) {
			return null;
		}
		return this.jobQueue.find(JobId.of(jobId)).map(this::describe).orElse(null);
	}

	/**
	 * {@code POST /actuator/pgqueue/{jobId}} with {@code {"action":"retry"|"cancel"}}, or
	 * {@code POST /actuator/pgqueue/dead} with {@code {"action":"retry","kind":"..."}} to retry every
	 * dead job of a kind.
	 */
	@WriteOperation
	public Map<String, Object> jobAction(@Selector String target, String action, @Nullable String kind) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("action", action);
		if (DEAD.equals(target)) {
			if (!"retry".equals(action) || kind == null || kind.isBlank()) {
				throw new InvalidEndpointRequestException(
						"The dead letter takes {\"action\":\"retry\",\"kind\":\"...\"}", "Invalid dead-letter action");
			}
			body.put("kind", kind);
			body.put("retried", this.operations.retryDead(kind));
			return body;
		}
		long jobId = jobId(target);
		boolean changed = switch (action) {
			case "retry" -> this.jobQueue.retry(JobId.of(jobId));
			case "cancel" -> this.jobQueue.cancel(JobId.of(jobId));
			default -> throw new InvalidEndpointRequestException(
					"Unknown action '" + action + "' for a job: use retry or cancel", "Unknown action");
		};
		body.put("jobId", jobId);
		body.put("changed", changed);
		return body;
	}

	/** {@code DELETE /actuator/pgqueue/{jobId}}: discards a dead job for good. */
	@DeleteOperation
	public Map<String, Object> discard(@Selector String target) {
		long jobId = jobId(target);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("jobId", jobId);
		body.put("discarded", this.operations.discard(JobId.of(jobId)));
		return body;
	}

	private static long jobId(String target) {
		try {
			long id = Long.parseLong(target);
			if (id <= 0) {
				throw new NumberFormatException();
			}
			return id;
		}
		catch (NumberFormatException ex) {
			throw new InvalidEndpointRequestException("'" + target + "' is neither a job id nor 'dead'",
					"Invalid job id");
		}
	}

	@WriteOperation
	public Map<String, Object> queueAction(@Selector String collection, @Selector String queue, String action) {
		if (!"queues".equals(collection)) {
			throw new InvalidEndpointRequestException("Unknown path '" + collection + "': use /queues/{queue}",
					"Unknown path");
		}
		switch (action) {
			case "pause" -> {
				requireKnown(queue, false);
				this.operations.pause(queue);
			}
			case "resume" -> {
				requireKnown(queue, true);
				this.operations.resume(queue);
			}
			default -> throw new InvalidEndpointRequestException(
					"Unknown action '" + action + "' for a queue: use pause or resume", "Unknown action");
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("queue", queue);
		body.put("action", action);
		body.put("paused", "pause".equals(action));
		return body;
	}

	// A pause or resume of a name no node serves would add a row per made-up name; a queue paused in
	// the database but since dropped from the configuration may still be resumed, to clear its row.
	private void requireKnown(String queue, boolean orPaused) {
		Set<String> configured = new TreeSet<>(this.settings.queues().keySet());
		if (!configured.contains(queue) && !(orPaused && this.operations.pausedQueues().contains(queue))) {
			throw new InvalidEndpointRequestException("Unknown queue",
					"queue '" + queue + "' is not configured (pgqueue.queues): configured queues are "
							+ String.join(", ", configured));
		}
	}

	private JobDescriptor describe(JobInfo job) {
		return JobDescriptor.of(job, payloadOf(job.payload()));
	}

	private @Nullable Object payloadOf(String payload) {
		try {
			return this.payloadReader.readValue(payload);
		}
		catch (JacksonException ex) {
			// stored as jsonb, so always JSON; shown as text should it ever not be
			return payload;
		}
	}

	/**
	 * One job as the endpoint shows it; its payload as the JSON value it is (an object, an array, a
	 * string, a number...).
	 */
	public record JobDescriptor(long id, String queue, String kind, String state, int priority, int attempt,
			int maxAttempts, Instant runAt, Instant createdAt, @Nullable Instant attemptedAt,
			@Nullable Instant finalizedAt, @Nullable String leaseOwner, @Nullable Instant leaseExpiresAt,
			@Nullable String idempotencyKey, boolean cancelRequested, @Nullable Object payload, List<JobError> errors,
			List<SideEffectInfo> sideEffects) {

		static JobDescriptor of(JobInfo job, @Nullable Object payload) {
			return new JobDescriptor(job.id().value(), job.queue(), job.kind(), job.state().dbValue(), job.priority(),
					job.attempt(), job.maxAttempts(), job.runAt(), job.createdAt(), job.attemptedAt(),
					job.finalizedAt(), job.leaseOwner(), job.leaseExpiresAt(), job.idempotencyKey(),
					job.cancelRequested(), payload, job.errors(), job.sideEffects());
		}

	}

}
