package io.github.pgqueue.testing;

import java.util.List;

/**
 * The jobs one drain ran, in the order it ran them.
 *
 * @param jobs the jobs
 */
public record DrainResult(List<DrainedJob> jobs) {

	public DrainResult {
		jobs = List.copyOf(jobs);
	}

	/** @return how many jobs ran */
	public int count() {
		return this.jobs.size();
	}

	/** @return how many completed */
	public long completed() {
		return this.jobs.stream().filter((job) -> job.state() == io.github.pgqueue.JobState.COMPLETED).count();
	}

	/** @return the runs whose handler failed */
	public List<DrainedJob> failures() {
		return this.jobs.stream().filter(DrainedJob::failed).toList();
	}

}
