package io.github.pgqueue.execute;

import java.util.function.Supplier;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobId;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.lease.InFlightJob;
import io.github.pgqueue.ledger.SideEffectLedger;
import io.github.pgqueue.store.ClaimedJob;
import org.jspecify.annotations.Nullable;

/**
 * The context of one attempt, backed by the worker's in-flight record of the job.
 */
final class DefaultJobContext implements JobContext {

	private final InFlightJob inFlight;

	private final SideEffectLedger ledger;

	private final java.util.function.Supplier<String> installation;

	DefaultJobContext(InFlightJob inFlight, SideEffectLedger ledger, java.util.function.Supplier<String> installation) {
		this.inFlight = inFlight;
		this.ledger = ledger;
		this.installation = installation;
	}

	private ClaimedJob job() {
		return this.inFlight.job();
	}

	@Override
	public JobId jobId() {
		return new JobId(job().id());
	}

	@Override
	public String kind() {
		return job().kind();
	}

	@Override
	public String queue() {
		return job().queue();
	}

	@Override
	public int attempt() {
		return this.inFlight.attempt();
	}

	@Override
	public int maxAttempts() {
		return job().maxAttempts();
	}

	@Override
	public <T> @Nullable T runOnce(String key, RunOnce policy, Supplier<T> fn) {
		return this.ledger.runOnce(this.inFlight.lease(), this.inFlight.attempt(), key, policy, fn);
	}

	@Override
	public String sideEffectKey(String step) {
		if (step == null || step.isBlank()) {
			throw new IllegalArgumentException("step must be non-blank");
		}
		// unique per installation (an id created with the schema) and per job row ever written (its id and
		// the microsecond it was created: a restore that hands an id out again gives it another time),
		// the same on every attempt and worker
		long createdMicros = java.util.concurrent.TimeUnit.SECONDS.toMicros(job().createdAt().getEpochSecond())
				+ job().createdAt().getNano() / 1000;
		return "pgqueue-" + this.installation.get() + "-" + job().id() + "." + Long.toString(createdMicros, 36) + "-" + step;
	}

	@Override
	public boolean isCancellationRequested() {
		return this.inFlight.isCancelRequested();
	}

	@Override
	public String toString() {
		return "JobContext[job=" + job().id() + ", kind=" + kind() + ", attempt=" + attempt() + "/" + maxAttempts()
				+ "]";
	}

}
