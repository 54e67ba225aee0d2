package io.github.pgqueue.enqueue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.EnqueueResult;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobKinds;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.PgQueueException;
import io.github.pgqueue.QueueFullException;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.config.StorableText;
import io.github.pgqueue.EnqueueObservationContext;
import io.github.pgqueue.observation.JobObservations;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.InsertedJob;
import io.github.pgqueue.store.NewJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link JobQueue} over the {@link JobStore}. Validates everything at the edge before writing
 * anything; writes join the caller's Spring-managed transaction when there is one, and an
 * {@link #enqueueAll} of several statements is one transaction of its own when there is none.
 * <p>
 * Warns, once per queue name, of an enqueue on a queue this node's configuration does not name:
 * unless another node serves it, its jobs wait for ever.
 */
public final class DefaultJobQueue implements JobQueue {

	private static final Logger logger = LoggerFactory.getLogger(DefaultJobQueue.class);

	// warned-of queue names kept at most, so that made-up names cannot grow the set without bound
	private static final int MAX_WARNED_QUEUES = 1000;

	/** The longest kind accepted, as the table's check constraint allows. */
	public static final int MAX_KIND_LENGTH = 255;

	/** The most jobs written by one statement of {@link #enqueueAll}. */
	public static final int MAX_JOBS_PER_STATEMENT = 5000;

	private static final int KEY_LOOKUP_ATTEMPTS = 3;

	private final JobStore store;

	private final JsonMapper json;

	private final EngineSettings settings;

	private final JobListener listener;

	private final WakeUpNotifier wakeUps;

	private final JobObservations observations;

	private final Set<String> warnedQueues = ConcurrentHashMap.newKeySet();

	public DefaultJobQueue(JobStore store, JsonMapper json, EngineSettings settings, JobListener listener) {
		this(store, json, settings, listener, JobObservations.NOOP);
	}

	/** @param observations observes each enqueue ({@code pgqueue.enqueue}), storing its trace context with the jobs */
	public DefaultJobQueue(JobStore store, JsonMapper json, EngineSettings settings, JobListener listener,
			JobObservations observations) {
		this.store = store;
		this.observations = observations;
		this.json = PayloadMapper.refusingValuesWrittenAsNothing(json);
		this.settings = settings;
		this.listener = listener;
		this.wakeUps = new WakeUpNotifier(store.enqueue(), settings.notifyEnabled());
	}

	@Override
	public JobId enqueue(Object payload) {
		requirePayload(payload);
		return enqueue(JobKinds.kindOf(payload), payload, EnqueueOptions.defaults()).jobId();
	}

	@Override
	public EnqueueResult enqueue(JobRequest request) {
		Objects.requireNonNull(request, "request");
		return enqueue(request.kind(), request.payload(), request.options());
	}

	@Override
	public JobId enqueue(String kind, Object payload) {
		return enqueue(kind, payload, EnqueueOptions.defaults()).jobId();
	}

	@Override
	public EnqueueResult enqueue(String kind, Object payload, EnqueueOptions options) {
		NewJob job = toNewJob(kind, payload, options);
		return this.observations.enqueue(job.queue(), job.kind(), (metadata) -> insert(job.withMetadata(metadata)));
	}

	private EnqueueResult insert(NewJob job) {
		String kind = job.kind();
		checkBacklog(Map.of(job.queue(), 1));
		for (int i = 0; i < KEY_LOOKUP_ATTEMPTS; i++) {
			boolean wakeUp = this.wakeUps.claimWakeUp(job.queue());
			Optional<Long> id = this.store.enqueue().insertUnlessKeyTaken(job, wakeUp);
			if (id.isPresent()) {
				if (!wakeUp) {
					this.wakeUps.coalesced(job.queue());
				}
				if (job.runAt() == null && job.delayMillis() == 0) {
					this.wakeUps.enqueued(job.queue());
				}
				this.listener.onEnqueued(job.queue(), job.kind());
				warnIfUnconfigured(job.queue());
				return EnqueueResult.created(new JobId(id.get()));
			}
			Long existing = this.store.enqueue().findIdsByKey(List.of(job.idempotencyKey())).get(job.idempotencyKey());
			if (existing != null) {
				return EnqueueResult.duplicateOf(new JobId(existing));
			}
			// the job holding the key was pruned between the two statements: insert again
		}
		throw new PgQueueException("could not enqueue job of kind '" + kind + "' with idempotency key '"
				+ job.idempotencyKey() + "': its holder kept disappearing");
	}

	@Override
	public List<EnqueueResult> enqueueAll(List<JobRequest> requests) {
		Objects.requireNonNull(requests, "requests");
		List<NewJob> jobs = new ArrayList<>(requests.size());
		for (int i = 0; i < requests.size(); i++) {
			JobRequest request = requests.get(i);
			if (request == null) {
				throw new IllegalArgumentException("requests[" + i + "] must not be null");
			}
			try {
				jobs.add(toNewJob(request.kind(), request.payload(), request.options()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("requests[" + i + "]: " + ex.getMessage(), ex);
			}
		}
		return this.observations.enqueueAll(() -> shared(jobs, NewJob::queue), () -> shared(jobs, NewJob::kind),
				jobs.size(), (metadata) -> insertAll((metadata == null) ? jobs
						: jobs.stream().map((job) -> job.withMetadata(metadata)).toList()));
	}

	// the value every job has, or "mixed"
	private static String shared(List<NewJob> jobs, java.util.function.Function<NewJob, String> value) {
		String shared = jobs.isEmpty() ? EnqueueObservationContext.MIXED : value.apply(jobs.get(0));
		for (NewJob job : jobs) {
			if (!value.apply(job).equals(shared)) {
				return EnqueueObservationContext.MIXED;
			}
		}
		return shared;
	}

	private List<EnqueueResult> insertAll(List<NewJob> jobs) {
		Map<String, Integer> perQueue = new HashMap<>();
		jobs.forEach((job) -> perQueue.merge(job.queue(), 1, Integer::sum));
		checkBacklog(perQueue);
		List<NewJob> created = new ArrayList<>();
		List<EnqueueResult> results = (jobs.size() <= MAX_JOBS_PER_STATEMENT) ? insertBatch(jobs, created)
				: this.store.inOneTransaction(() -> insertBatches(jobs, created));
		// told once the jobs are written for good (or at least in the caller's transaction)
		created.forEach((job) -> this.listener.onEnqueued(job.queue(), job.kind()));
		perQueue.keySet().forEach(this::warnIfUnconfigured);
		return results;
	}

	private List<EnqueueResult> insertBatches(List<NewJob> jobs, List<NewJob> created) {
		List<EnqueueResult> results = new ArrayList<>(jobs.size());
		for (int from = 0; from < jobs.size(); from += MAX_JOBS_PER_STATEMENT) {
			results.addAll(insertBatch(jobs.subList(from, Math.min(jobs.size(), from + MAX_JOBS_PER_STATEMENT)),
					created));
		}
		return results;
	}

	private List<EnqueueResult> insertBatch(List<NewJob> jobs, List<NewJob> created) {
		// one wake-up per queue at most, carried by the statement itself
		List<InsertedJob> inserted = this.store.enqueue().insertAllUnlessKeyTaken(jobs, this.settings.notifyEnabled());
		Map<String, Long> insertedByKey = new HashMap<>();
		List<Long> insertedWithoutKey = new ArrayList<>();
		for (InsertedJob row : inserted) {
			if (row.idempotencyKey() != null) {
				insertedByKey.put(row.idempotencyKey(), row.id());
			}
			else {
				insertedWithoutKey.add(row.id());
			}
		}
		insertedWithoutKey.sort(null);
		List<String> takenKeys = jobs.stream()
			.map(NewJob::idempotencyKey)
			.filter((key) -> key != null && !insertedByKey.containsKey(key))
			.distinct()
			.toList();
		Map<String, Long> existingByKey = this.store.enqueue().findIdsByKey(takenKeys);
		List<EnqueueResult> results = new ArrayList<>(jobs.size());
		int nextWithoutKey = 0;
		Map<String, Boolean> keyReturned = new LinkedHashMap<>();
		for (NewJob job : jobs) {
			String key = job.idempotencyKey();
			if (key == null) {
				results.add(EnqueueResult.created(new JobId(insertedWithoutKey.get(nextWithoutKey++))));
				created.add(job);
			}
			else if (insertedByKey.containsKey(key) && keyReturned.putIfAbsent(key, true) == null) {
				results.add(EnqueueResult.created(new JobId(insertedByKey.get(key))));
				created.add(job);
			}
			else {
				Long id = insertedByKey.containsKey(key) ? insertedByKey.get(key) : existingByKey.get(key);
				if (id == null) {
					throw new PgQueueException("the job holding idempotency key '" + key
							+ "' disappeared during enqueueAll; enqueue it again");
				}
				results.add(EnqueueResult.duplicateOf(new JobId(id)));
			}
		}
		return results;
	}

	/**
	 * Lets this node's own worker be woken directly by this node's enqueues.
	 * @param localWorker takes the queue of each committed enqueue of a job runnable now
	 */
	public void setLocalWorker(java.util.function.Consumer<String> localWorker) {
		this.wakeUps.setLocalWorker(localWorker);
	}

	@Override
	public Optional<JobInfo> find(JobId id) {
		Objects.requireNonNull(id, "id");
		return this.store.queries().find(id.value());
	}

	@Override
	public boolean cancel(JobId id) {
		Objects.requireNonNull(id, "id");
		return this.store.queries().cancelIfUnfinished(id.value());
	}

	@Override
	public boolean retry(JobId id) {
		Objects.requireNonNull(id, "id");
		return this.store.queries().retryIfFinishedUnsuccessfully(id.value());
	}

	private NewJob toNewJob(String kind, Object payload, EnqueueOptions options) {
		if (kind == null || kind.isBlank()) {
			throw new IllegalArgumentException("kind must not be blank");
		}
		if (kind.length() > MAX_KIND_LENGTH) {
			throw new IllegalArgumentException("kind must be at most " + MAX_KIND_LENGTH + " characters, was "
					+ kind.length());
		}
		StorableText.require("kind", kind);
		requirePayload(payload);
		if (options == null) {
			throw new IllegalArgumentException("options must not be null: use EnqueueOptions.defaults()");
		}
		String payloadJson = writePayload(kind, payload);
		String queue = EngineSettings.defaultQueue(options);
		long delayMillis = options.delay().map(Duration::toMillis).orElse(0L);
		return new NewJob(queue, kind, payloadJson, options.priority().orElse(0),
				options.maxAttempts().orElse(this.settings.retry().maxAttempts()), options.runAt().orElse(null),
				delayMillis, options.idempotencyKey().orElse(null), null);
	}

	private String writePayload(String kind, Object payload) {
		String payloadJson;
		try {
			payloadJson = this.json.writeValueAsString(payload);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("payload of kind '" + kind + "' (" + payload.getClass().getName()
					+ ") cannot be written as JSON: " + ex.getOriginalMessage() + where(ex), ex);
		}
		StorableText.require("payload of kind '" + kind + "'", payloadJson);
		long size = payloadJson.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.settings.maxPayloadSize()) {
			throw new IllegalArgumentException("payload of kind '" + kind + "' is " + size
					+ " bytes of JSON, over max-payload-size of " + this.settings.maxPayloadSize() + " bytes");
		}
		if (payloadJson.contains("\\u0000")) {
			throw new IllegalArgumentException("payload of kind '" + kind
					+ "' contains a NUL character (\\u0000), which PostgreSQL's jsonb cannot store");
		}
		return payloadJson;
	}

	private static String where(JacksonException ex) {
		return ex.getPath().isEmpty() ? "" : " (at " + ex.getPathReference() + ")";
	}

	private static void requirePayload(Object payload) {
		if (payload == null) {
			throw new IllegalArgumentException("payload must not be null");
		}
	}

	private void warnIfUnconfigured(String queue) {
		if (!this.settings.queues().containsKey(queue) && this.warnedQueues.size() < MAX_WARNED_QUEUES
				&& this.warnedQueues.add(queue)) {
			logger.warn("Enqueued a job on queue '{}', which this node's configuration does not name (it names {}):"
					+ " unless another node serves that queue, its jobs stay available and never run",
					queue, String.join(", ", new TreeSet<>(this.settings.queues().keySet())));
		}
	}

	private void checkBacklog(Map<String, Integer> adding) {
		adding.forEach((queue, count) -> {
			QueueSettings settings = this.settings.queue(queue);
			if (settings.hasBacklogLimit()
					&& this.store.enqueue().countBacklogUpTo(queue, settings.maxBacklog()) + count > settings.maxBacklog()) {
				throw new QueueFullException(queue, settings.maxBacklog());
			}
		});
	}

}
