package io.github.pgqueue;

/**
 * Thrown by {@link JobContext#runOnce} when an earlier attempt started the step and died before
 * recording its outcome, and the step's policy is {@link RunOnce#AT_MOST_ONCE}: the job goes to the
 * dead letter with this message, naming the key, for a person to decide.
 */
public class SideEffectInDoubtException extends PgQueueException {

	private final String key;

	public SideEffectInDoubtException(JobId jobId, String key, int startedByAttempt) {
		super("side effect '" + key + "' of job " + jobId + " is in doubt: attempt " + startedByAttempt
				+ " started it and did not record its outcome; not running it again (at most once). "
				+ "Check the effect, then retry the job, or use RunOnce.retryInDoubt() for idempotent effects");
		this.key = key;
	}

	public String getKey() {
		return this.key;
	}

}
