package io.github.pgqueue.store;

/**
 * The failure of one attempt, to be written by {@link LeaseStore#failIfLeased}.
 *
 * @param message the error message
 * @param stackTrace a trimmed stack trace
 * @param retryDelayMillis how long after the database's {@code now()} to retry, if attempts remain
 * @param permanent whether to go dead whatever attempts remain
 */
public record FailedAttempt(String message, String stackTrace, long retryDelayMillis, boolean permanent) {
}
