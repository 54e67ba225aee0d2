package io.github.pgqueue;

import java.util.Locale;

/**
 * The states of a job, as stored in {@code pgqueue_job.state}. Each constant names the component
 * that moves a job out of it; {@code docs/state-machine.md} draws the whole machine.
 */
public enum JobState {

	/** Waiting for {@code run_at}; claimed by a worker's poller, or cancelled via {@link JobQueue#cancel}. */
	AVAILABLE,

	/**
	 * Held under a lease by one worker; left when the handler returns or throws, when the lease
	 * expires (the reaper reclaims it) or when the worker releases it at shutdown.
	 */
	RUNNING,

	/** Final: the handler returned. Deleted by the pruner after its retention. */
	COMPLETED,

	/** Final until {@link JobQueue#retry}: attempts exhausted or a permanent failure. */
	DEAD,

	/** Final until {@link JobQueue#retry}: cancelled before or while running. */
	CANCELLED;

	/** @return the value stored in the {@code state} column */
	public String dbValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @return whether no worker will run the job again without an explicit retry */
	public boolean isFinal() {
		return this == COMPLETED || this == DEAD || this == CANCELLED;
	}

	public static JobState fromDbValue(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
