package io.github.pgqueue.samples.jobservice.api;

/**
 * No job has the id asked for (it never existed, or it was pruned after its retention): answered
 * with {@code 404}.
 */
public class JobNotFoundException extends RuntimeException {

	public JobNotFoundException(long id) {
		super("no job with id " + id + " (it never existed, or it finished and was pruned after its retention)");
	}

}
