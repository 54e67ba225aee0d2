package io.github.pgqueue.ledger;

import java.util.function.Supplier;

import io.github.pgqueue.JobId;
import io.github.pgqueue.LeaseLostException;
import io.github.pgqueue.PgQueueException;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.SideEffectInDoubtException;
import io.github.pgqueue.store.Lease;
import io.github.pgqueue.store.SideEffectStore;
import io.github.pgqueue.store.SideEffectStore.Step;
import io.github.pgqueue.store.SideEffectStore.StepLookup;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a step of a job at most once per job and key, recording it in {@code pgqueue_side_effect}:
 * <ol>
 * <li>a recorded success returns the recorded result, and the step does not run;</li>
 * <li>otherwise the step is marked started (only under a held lease), run, and its success
 * recorded (only under a held lease), each in a short transaction of its own, whatever transaction
 * the handler's thread holds;</li>
 * <li>a start left by an earlier attempt that never recorded its outcome is in doubt: by default
 * the job goes dead naming the key; with {@link RunOnce#RETRY_IN_DOUBT} the step runs again;</li>
 * <li>a step that throws is forgotten, so a later attempt runs it again.</li>
 * </ol>
 */
public final class SideEffectLedger {

	private final SideEffectStore store;

	private final JsonMapper json;

	private final String owner;

	public SideEffectLedger(SideEffectStore store, JsonMapper json, String owner) {
		this.store = store;
		this.json = json;
		this.owner = owner;
	}

	/**
	 * Runs {@code fn} for the job's step {@code key} unless already recorded.
	 * @throws LeaseLostException when this worker no longer holds the lease: {@code fn} did not run
	 * (or ran but its success could not be recorded)
	 * @throws SideEffectInDoubtException when an earlier attempt's start is in doubt under
	 * {@link RunOnce#AT_MOST_ONCE}
	 */
	public <T> @Nullable T runOnce(Lease lease, int attempt, String key, RunOnce policy, Supplier<T> fn) {
		if (key == null || key.isBlank() || key.length() > 255) {
			throw new IllegalArgumentException("runOnce key must be non-blank and at most 255 characters, was '"
					+ key + "'");
		}
		StepLookup lookup = this.store.findStep(lease, this.owner, key);
		if (!lookup.leased()) {
			throw leaseLost(lease, key, "start");
		}
		if (lookup.step().isPresent() && lookup.step().get().succeeded()) {
			return recordedResult(lookup.step().get(), key);
		}
		if (lookup.step().isPresent()) {
			Step step = lookup.step().get();
			if (step.token() == lease.token()) {
				throw new IllegalStateException("runOnce('" + key + "') is already running in this attempt of job "
						+ lease.jobId() + ": each key may run once at a time");
			}
			if (policy == RunOnce.AT_MOST_ONCE) {
				throw new SideEffectInDoubtException(new JobId(lease.jobId()), key, step.attempt());
			}
		}
		if (!this.store.startIfLeased(lease, attempt, this.owner, key, policy == RunOnce.RETRY_IN_DOUBT)) {
			// lost the lease since the lookup, or a concurrent start: look again to say which
			StepLookup again = this.store.findStep(lease, this.owner, key);
			if (again.step().isPresent() && again.step().get().succeeded()) {
				return recordedResult(again.step().get(), key);
			}
			throw leaseLost(lease, key, "start");
		}
		T result;
		try {
			result = fn.get();
		}
		catch (RuntimeException | Error ex) {
			this.store.forgetStart(lease, this.owner, key);
			throw ex;
		}
		String resultJson = this.json.writeValueAsString(result);
		String resultType = (result != null) ? result.getClass().getName() : null;
		if (!this.store.succeedIfLeased(lease, this.owner, key, resultJson, resultType)) {
			throw leaseLost(lease, key, "record the success of");
		}
		return result;
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T recordedResult(Step step, String key) {
		if (step.resultType() == null || step.result() == null) {
			return null;
		}
		try {
			ClassLoader loader = Thread.currentThread().getContextClassLoader();
			Class<?> type = Class.forName(step.resultType(), false,
					(loader != null) ? loader : SideEffectLedger.class.getClassLoader());
			return (T) this.json.readValue(step.result(), type);
		}
		catch (ClassNotFoundException | RuntimeException ex) {
			throw new PgQueueException("the recorded result of side effect '" + key + "' cannot be read as "
					+ step.resultType() + ": " + ex.getMessage(), ex);
		}
	}

	private static LeaseLostException leaseLost(Lease lease, String key, String action) {
		return new LeaseLostException("cannot " + action + " side effect '" + key + "' of job " + lease.jobId()
				+ ": this worker no longer holds its lease");
	}

}
