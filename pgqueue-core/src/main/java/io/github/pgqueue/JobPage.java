package io.github.pgqueue;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@link JobOperations#list}.
 *
 * @param jobs the jobs, newest first
 * @param next the listing of the next page, empty when this page is the last
 */
public record JobPage(List<JobInfo> jobs, Optional<JobListing> next) {

	public JobPage {
		jobs = List.copyOf(jobs);
	}

}
