package io.github.pgqueue;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What a handler knows about the attempt it runs, and its way to make side effects effectively once.
 */
public interface JobContext {

	JobId jobId();

	String kind();

	String queue();

	/** @return the attempt being run: 1 on the first run */
	int attempt();

	int maxAttempts();

	/** @return {@code attempt() - 1} */
	default int retryCount() {
		return attempt() - 1;
	}

	/**
	 * Runs {@code fn} unless a previous attempt of this job recorded its success under {@code key},
	 * in which case the recorded result is returned and {@code fn} does not run. Succeeds only while
	 * this worker holds the job's lease; otherwise throws {@link LeaseLostException} without running
	 * {@code fn}. When an earlier attempt started {@code fn} and died before recording it, the job goes
	 * to the dead letter naming the key ({@link RunOnce#AT_MOST_ONCE}).
	 * @param key the step's name, unique within the job
	 * @param fn the side effect; its result must be writable and readable by Jackson
	 * @param <T> the result type
	 * @return the result of {@code fn}, now or recorded earlier
	 */
	default <T> @Nullable T runOnce(String key, Supplier<T> fn) {
		return runOnce(key, RunOnce.AT_MOST_ONCE, fn);
	}

	/**
	 * As {@link #runOnce(String, Supplier)}, with the given in-doubt policy.
	 * @param key the step's name, unique within the job
	 * @param policy what to do when an earlier attempt's outcome is in doubt
	 * @param fn the side effect
	 * @param <T> the result type
	 * @return the result of {@code fn}, now or recorded earlier
	 */
	<T> @Nullable T runOnce(String key, RunOnce policy, Supplier<T> fn);

	/** As {@link #runOnce(String, Supplier)} for an effect with no result. */
	default void runOnce(String key, Runnable fn) {
		runOnce(key, RunOnce.AT_MOST_ONCE, fn);
	}

	/** As {@link #runOnce(String, RunOnce, Supplier)} for an effect with no result. */
	default void runOnce(String key, RunOnce policy, Runnable fn) {
		runOnce(key, policy, () -> {
			fn.run();
			return null;
		});
	}

	/**
	 * @param step a step name
	 * @return a string stable across attempts and workers and unique per job and step, to hand to an
	 * external API as its idempotency key
	 */
	String sideEffectKey(String step);

	/** @return whether {@link JobQueue#cancel} was called for this job while it runs */
	boolean isCancellationRequested();

}
