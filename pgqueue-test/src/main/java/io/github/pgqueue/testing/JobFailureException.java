package io.github.pgqueue.testing;

/**
 * A handler failed during {@link PgQueueTest#drain()}: its cause is what the handler threw, as it
 * threw it, and the job's row was written as the engine writes it (retried with its error after the
 * backoff, or dead). The drain stopped at this job.
 */
public final class JobFailureException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient DrainedJob job;

	private final transient DrainResult drained;

	JobFailureException(DrainedJob job, DrainResult drained) {
		super(job + ": " + job.error().map(JobFailureException::describe).orElse("failed"), job.error().orElse(null));
		this.job = job;
		this.drained = drained;
	}

	private static String describe(Throwable error) {
		return error.getClass().getName() + ((error.getMessage() != null) ? ": " + error.getMessage() : "");
	}

	/** @return the job whose handler failed */
	public DrainedJob job() {
		return this.job;
	}

	/** @return every job the drain ran, this one last */
	public DrainResult drained() {
		return this.drained;
	}

}
