package io.github.pgqueue.samples.jobservice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The body of a successful {@code POST /jobs}: {@code {"id": 42}} for a new job,
 * {@code {"id": 42, "duplicate": true}} when the idempotency key already named job 42.
 *
 * @param id the job's id
 * @param duplicate {@code true} when nothing was enqueued because the key was taken, else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmittedJob(long id, @Nullable Boolean duplicate) {

	static SubmittedJob created(long id) {
		return new SubmittedJob(id, null);
	}

	static SubmittedJob duplicateOf(long id) {
		return new SubmittedJob(id, true);
	}

}
