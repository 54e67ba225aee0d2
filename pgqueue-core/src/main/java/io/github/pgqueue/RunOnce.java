package io.github.pgqueue;

/**
 * What {@link JobContext#runOnce} does when an earlier attempt started the side effect but died
 * before recording its outcome, so it is unknown whether the effect happened ("in doubt").
 */
public enum RunOnce {

	/**
	 * The default: never risk running the effect twice. The job goes to the dead letter with an error
	 * naming the key, for a person to decide.
	 */
	AT_MOST_ONCE,

	/**
	 * Run the effect again: for effects that are themselves idempotent (for example an API call that
	 * carries {@link JobContext#sideEffectKey(String)} as its idempotency key).
	 */
	RETRY_IN_DOUBT;

	/** @return {@link #AT_MOST_ONCE} */
	public static RunOnce atMostOnce() {
		return AT_MOST_ONCE;
	}

	/** @return {@link #RETRY_IN_DOUBT} */
	public static RunOnce retryInDoubt() {
		return RETRY_IN_DOUBT;
	}

}
