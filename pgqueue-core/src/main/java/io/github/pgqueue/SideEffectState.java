package io.github.pgqueue;

/**
 * The state of one {@link JobContext#runOnce} step of a job.
 */
public enum SideEffectState {

	/** Started by the attempt now running, outcome not yet recorded. */
	RUNNING,

	/** Recorded as done: it will not run again for this job. */
	SUCCEEDED,

	/** Started by an attempt that ended without recording its outcome: it may or may not have happened. */
	IN_DOUBT

}
