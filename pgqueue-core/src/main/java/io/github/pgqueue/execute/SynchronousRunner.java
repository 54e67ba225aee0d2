package io.github.pgqueue.execute;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobState;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.ledger.SideEffectLedger;
import io.github.pgqueue.retry.RetryPolicy;
import io.github.pgqueue.store.ClaimedJob;
import io.github.pgqueue.store.FailedAttempt;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.StartedJob;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * For the test kit ({@code pgqueue-test}) only: runs due jobs one at a time on the calling thread,
 * through the engine's own statements: the claim ({@code ClaimStore}), the start that counts the
 * attempt, and the outcome written under the lease (completed, failed as the {@link RetryPolicy}
 * decides: retried with its error or dead), with a {@link JobContext} whose {@code runOnce} is the
 * real ledger. There is no heartbeat and no job timeout: the lease is taken for the engine's lease
 * duration or an hour, whichever is longer, and a handler running past it has its outcome refused as
 * a lost lease's would be. Not for production use.
 */
public final class SynchronousRunner {

	private static final java.time.Duration MIN_LEASE = java.time.Duration.ofHours(1);

	private final JobStore store;

	private final Supplier<? extends Collection<HandlerRegistration>> handlers;

	private final JsonMapper json;

	private final EngineSettings settings;

	private final RetryPolicy retry;

	private final String owner;

	private final SideEffectLedger ledger;

	private volatile @Nullable String installation;

	/**
	 * @param handlers the handlers, read at every run (Spring discovers them as beans are created)
	 */
	public SynchronousRunner(JobStore store, Supplier<? extends Collection<HandlerRegistration>> handlers,
			JsonMapper json, EngineSettings settings) {
		this.store = store;
		this.handlers = handlers;
		this.json = json;
		this.settings = settings;
		this.retry = new RetryPolicy(settings.retry());
		this.owner = "pgqueue-test-" + UUID.randomUUID();
		this.ledger = new SideEffectLedger(store.sideEffects(), json, this.owner);
	}

	private HandlerRegistry registry() {
		return new HandlerRegistry(this.handlers.get());
	}

	/** @return the kinds a handler is registered for */
	public Set<String> kinds() {
		return registry().kinds();
	}

	/** @return the mapper payloads are written and read with */
	public JsonMapper jsonMapper() {
		return this.json;
	}

	/** @return the schema the jobs are in */
	public String schema() {
		return this.settings.schema();
	}

	/**
	 * @param queues the queues to look in, or empty for all
	 * @return the queues holding due jobs of a kind with a handler
	 */
	public List<String> queuesWithDueJobs(Collection<String> queues) {
		return this.store.drains().queuesWithDueJobs(kinds(), queues);
	}

	/**
	 * @param queues the queues, or empty for all
	 * @return how many waiting jobs scheduled for later were made due now
	 */
	public int bringScheduledForward(Collection<String> queues) {
		return this.store.drains().scheduledJobsMadeDue(queues);
	}

	/** Deletes every job, side effect and queue pause of the schema. */
	public void deleteAll() {
		this.store.drains().deleteAll();
	}

	/**
	 * Claims the next due job of a handled kind in {@code queue} (as a worker would: by aged priority,
	 * skipping a paused queue), starts it, runs its handler on this thread and writes its outcome.
	 * @return what became of the job, or empty when none was due
	 */
	public Optional<Ran> runNext(String queue) {
		HandlerRegistry registry = registry();
		long leaseMillis = leaseMillis();
		List<ClaimedJob> claimed = this.store.claims()
			.claimAvailable(queue, registry.kinds(), 1, this.owner, leaseMillis,
					this.settings.priorityAging().toMillis());
		if (claimed.isEmpty()) {
			return Optional.empty();
		}
		ClaimedJob job = claimed.get(0);
		InFlightJob inFlight = new InFlightJob(job, System.nanoTime() + leaseMillis * 1_000_000, () -> {
		});
		inFlight.start();
		Map<Long, StartedJob> started = this.store.leases().startIfLeased(List.of(job.lease()), this.owner);
		StartedJob start = started.get(job.id());
		if (start == null || start.state() != JobState.RUNNING || !inFlight.run(start.attempt())) {
			inFlight.settle();
			JobState state = (start != null) ? start.state() : JobState.RUNNING;
			return Optional.of(new Ran(job, inFlight.attempt(), state, null));
		}
		Throwable error = execute(registry, inFlight);
		inFlight.finish();
		try {
			if (error == null) {
				JobState state = this.store.leases().completeIfLeased(List.of(job.lease()), this.owner).get(job.id());
				return Optional.of(new Ran(job, inFlight.attempt(), lostUnless(state), null));
			}
			RetryPolicy.Decision decision = this.retry.afterFailure(inFlight.attempt(), job.maxAttempts(), error);
			FailedAttempt failure = new FailedAttempt(ErrorTrace.message(error), ErrorTrace.stack(error),
					decision.next(), decision.delay().toMillis());
			Optional<JobState> state = this.store.leases().failIfLeased(job.lease(), this.owner, failure);
			return Optional.of(new Ran(job, inFlight.attempt(), lostUnless(state.orElse(null)), error));
		}
		finally {
			inFlight.settle();
		}
	}

	/**
	 * No heartbeat renews a drained job's lease: it is taken for an hour at least, so that a handler
	 * stopped at a breakpoint still holds it when it goes on.
	 */
	private long leaseMillis() {
		return Math.max(this.settings.leaseDuration().toMillis(), MIN_LEASE.toMillis());
	}

	private static JobState lostUnless(@Nullable JobState written) {
		// a refused write leaves the row to whoever holds it now: the handler outlived its lease
		return (written != null) ? written : JobState.RUNNING;
	}

	private @Nullable Throwable execute(HandlerRegistry registry, InFlightJob inFlight) {
		// the claim took only kinds with a handler
		HandlerRegistration registration = registry.find(inFlight.job().kind()).orElseThrow();
		Outcome outcome = JobRunner.invoke(this.json, registration, inFlight.job(),
				new DefaultJobContext(inFlight, this.ledger, this::installation));
		return (outcome instanceof Outcome.Failed failed) ? failed.error() : null;
	}

	/**
	 * Calls the handler of {@code kind} with {@code payload}, first written to JSON and read back
	 * into the handler's payload type as a worker would read it, with the given context; nothing is
	 * enqueued or written.
	 * @throws IllegalArgumentException when no handler serves the kind, or the payload cannot be
	 * written or read back
	 * @throws Exception what the handler throws, as it is
	 */
	public void invokeHandler(String kind, Object payload, JobContext context) throws Exception {
		HandlerRegistry registry = registry();
		HandlerRegistration registration = registry.find(kind)
			.orElseThrow(() -> new IllegalArgumentException("no handler for job kind '" + kind
					+ "'; handlers are registered for " + registry.kinds()));
		Object read;
		try {
			read = this.json.readValue(this.json.writeValueAsString(payload),
					this.json.constructType(registration.payloadType()));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("the payload " + payload + " cannot be read as "
					+ registration.payloadType().getTypeName() + " for " + registration.description() + ": "
					+ ex.getMessage(), ex);
		}
		registration.invoker().invoke(read, context);
	}

	private String installation() {
		String id = this.installation;
		if (id == null) {
			id = this.store.installationId();
			this.installation = id;
		}
		return id;
	}

	/**
	 * One job a {@link #runNext} ran, or claimed and could not start.
	 *
	 * @param jobId the job
	 * @param kind its kind
	 * @param queue its queue
	 * @param attempt the attempt that ran
	 * @param maxAttempts the job's attempts
	 * @param state the state written: {@code COMPLETED}, {@code AVAILABLE} (to retry), {@code DEAD},
	 * {@code CANCELLED}; {@code RUNNING} when the write was refused (the lease lost)
	 * @param error what the handler threw, or {@code null} when it returned
	 */
	public record Ran(JobId jobId, String kind, String queue, int attempt, int maxAttempts, JobState state,
			@Nullable Throwable error) {

		Ran(ClaimedJob job, int attempt, JobState state, @Nullable Throwable error) {
			this(new JobId(job.id()), job.kind(), job.queue(), attempt, job.maxAttempts(), state, error);
		}

	}

}
