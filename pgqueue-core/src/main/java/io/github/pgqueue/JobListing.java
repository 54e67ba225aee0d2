package io.github.pgqueue;

import org.jspecify.annotations.Nullable;

/**
 * Which jobs {@link JobOperations#list} returns: optionally only one state, queue and kind, those
 * older than a cursor (a job id; the newest first when absent), at most {@code limit} of them.
 *
 * @param state only jobs in this state, or {@code null} for all
 * @param queue only jobs on this queue, or {@code null} for all
 * @param kind only jobs of this kind, or {@code null} for all
 * @param before only jobs with a smaller id, or {@code null} to start from the newest
 * @param limit the most to return, from 1 to 1000
 */
public record JobListing(@Nullable JobState state, @Nullable String queue, @Nullable String kind,
		@Nullable JobId before, int limit) {

	/** The most jobs one page may hold. */
	public static final int MAX_LIMIT = 1000;

	/**
	 * How many of the newest jobs before the cursor one page of a state, queue or kind searches
	 * (running jobs excepted: those are read all at once, through the lease index). A page then
	 * costs the same on a table of ten million rows as on a thousand, however rare the match; it
	 * may hold fewer matches than {@code limit}, or none, and still have a next page, which
	 * searches on from where this one stopped.
	 */
	public static final int SEARCH_WINDOW = 10_000;

	public JobListing {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
		}
	}

	/** @return the newest {@code limit} jobs, of every state, queue and kind */
	public static JobListing newest(int limit) {
		return new JobListing(null, null, null, null, limit);
	}

	public JobListing state(@Nullable JobState state) {
		return new JobListing(state, this.queue, this.kind, this.before, this.limit);
	}

	public JobListing queue(@Nullable String queue) {
		return new JobListing(this.state, queue, this.kind, this.before, this.limit);
	}

	public JobListing kind(@Nullable String kind) {
		return new JobListing(this.state, this.queue, kind, this.before, this.limit);
	}

	public JobListing before(@Nullable JobId before) {
		return new JobListing(this.state, this.queue, this.kind, before, this.limit);
	}

}
