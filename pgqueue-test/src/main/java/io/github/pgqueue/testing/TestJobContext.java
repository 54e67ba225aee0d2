package io.github.pgqueue.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobId;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.SideEffectInDoubtException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobContext} for calling one handler directly ({@link PgQueueTest#runHandler}), with no job
 * row: the attempt, the job's attempts, and a {@code runOnce} ledger held in memory that keeps the
 * engine's rules. A step recorded as succeeded (by an earlier attempt, given with
 * {@link #withRecordedStep}, or by this run) returns its result without running; a step whose earlier
 * start is in doubt ({@link #withStepInDoubt}) throws {@link SideEffectInDoubtException} under
 * {@link RunOnce#AT_MOST_ONCE} and runs again under {@link RunOnce#RETRY_IN_DOUBT}; a step that throws
 * is forgotten. After the run, {@link #stepsRun()} names the steps whose function ran.
 * <p>
 * Not thread-safe: one context per handler call.
 */
public final class TestJobContext implements JobContext {

	private JobId jobId = new JobId(1);

	private String kind = "";

	private String queue = "default";

	private int attempt = 1;

	private int maxAttempts = 25;

	private boolean cancellationRequested;

	private final Map<String, @Nullable Object> recorded = new LinkedHashMap<>();

	private final Set<String> inDoubt = new HashSet<>();

	private final Set<String> running = new HashSet<>();

	private final List<String> stepsRun = new ArrayList<>();

	/** @return a context for the first attempt of 25 */
	public static TestJobContext firstAttempt() {
		return new TestJobContext();
	}

	/** @return a context for the given attempt (from 1) */
	public static TestJobContext attempt(int attempt) {
		return new TestJobContext().withAttempt(attempt);
	}

	public TestJobContext withAttempt(int attempt) {
		if (attempt < 1) {
			throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
		}
		this.attempt = attempt;
		return this;
	}

	public TestJobContext withMaxAttempts(int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		this.maxAttempts = maxAttempts;
		return this;
	}

	public TestJobContext withJobId(JobId jobId) {
		this.jobId = Objects.requireNonNull(jobId, "jobId");
		return this;
	}

	public TestJobContext withQueue(String queue) {
		this.queue = Objects.requireNonNull(queue, "queue");
		return this;
	}

	/** @return this context, as if {@code JobQueue.cancel} had been called for the job */
	public TestJobContext withCancellationRequested() {
		this.cancellationRequested = true;
		return this;
	}

	/** @return this context, as if an earlier attempt had recorded the success of {@code key} with this result */
	public TestJobContext withRecordedStep(String key, @Nullable Object result) {
		this.recorded.put(requireKey(key), result);
		return this;
	}

	/** @return this context, as if an earlier attempt had started {@code key} and died before recording it */
	public TestJobContext withStepInDoubt(String key) {
		this.inDoubt.add(requireKey(key));
		return this;
	}

	/** Set by the kit to the kind of the handler it calls. */
	TestJobContext forKind(String kind) {
		this.kind = kind;
		return this;
	}

	/** @return the keys of the steps whose function ran in this context, in order */
	public List<String> stepsRun() {
		return List.copyOf(this.stepsRun);
	}

	/** @return the result recorded for a step, if it succeeded (before or during the run) */
	public Optional<Object> recordedResult(String key) {
		return Optional.ofNullable(this.recorded.get(key));
	}

	/** @return whether a step's success is recorded */
	public boolean isRecorded(String key) {
		return this.recorded.containsKey(key);
	}

	@Override
	public JobId jobId() {
		return this.jobId;
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public int maxAttempts() {
		return this.maxAttempts;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T runOnce(String key, RunOnce policy, Supplier<T> fn) {
		requireKey(key);
		if (this.recorded.containsKey(key)) {
			return (T) this.recorded.get(key);
		}
		if (this.running.contains(key)) {
			throw new IllegalStateException("runOnce('" + key + "') is already running in this attempt of job "
					+ this.jobId + ": each key may run once at a time");
		}
		if (this.inDoubt.contains(key) && policy == RunOnce.AT_MOST_ONCE) {
			throw new SideEffectInDoubtException(this.jobId, key, Math.max(1, this.attempt - 1));
		}
		this.running.add(key);
		this.stepsRun.add(key);
		try {
			T result = fn.get();
			this.recorded.put(key, result);
			this.inDoubt.remove(key);
			return result;
		}
		finally {
			this.running.remove(key);
		}
	}

	@Override
	public String sideEffectKey(String step) {
		if (step == null || step.isBlank()) {
			throw new IllegalArgumentException("step must be non-blank");
		}
		return "pgqueue-test-" + this.jobId + "-" + step;
	}

	@Override
	public boolean isCancellationRequested() {
		return this.cancellationRequested;
	}

	private static String requireKey(String key) {
		if (key == null || key.isBlank() || key.length() > 255) {
			throw new IllegalArgumentException("runOnce key must be non-blank and at most 255 characters, was '"
					+ key + "'");
		}
		return key;
	}

	@Override
	public String toString() {
		return "TestJobContext[job=" + this.jobId + ", kind=" + this.kind + ", attempt=" + this.attempt + "/"
				+ this.maxAttempts + "]";
	}

}
