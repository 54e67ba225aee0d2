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

	DefaultJobContext(InFlightJob inFlight, SideEffectLedger ledger) {
		this.inFlight = inFlight;
		this.ledger = ledger;
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
		return job().attempt();
	}

	@Override
	public int maxAttempts() {
		return job().maxAttempts();
	}

	@Override
	public <T> @Nullable T runOnce(String key, RunOnce policy, Supplier<T> fn) {
		return this.ledger.runOnce(this.inFlight.lease(), key, policy, fn);
	}

	@Override
	public String sideEffectKey(String step) {
		if (step == null || step.isBlank()) {
			throw new IllegalArgumentException("step must be non-blank");
		}
		return "pgqueue-" + job().id() + "-" + step;
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
