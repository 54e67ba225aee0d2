package io.github.pgqueue.store;

import io.github.pgqueue.JobState;

/**
 * The failure of one attempt, as the retry policy decided it, to be written by
 * {@link LeaseStore#failIfLeased}.
 *
 * @param message the error message
 * @param stackTrace a trimmed stack trace
 * @param next {@code AVAILABLE} (retry after {@code retryDelayMillis}) or {@code DEAD}
 * @param retryDelayMillis how long after the database's {@code now()} to retry
 */
public record FailedAttempt(String message, String stackTrace, JobState next, long retryDelayMillis) {
}
