package io.github.pgqueue;

import java.time.Instant;

/**
 * The jobs that reached a final outcome in one minute, by the database clock: those completed and
 * those that failed for good (went dead).
 *
 * @param minute the minute's start
 * @param completed jobs completed in it
 * @param failed jobs that went dead in it
 */
public record FinishedPerMinute(Instant minute, long completed, long failed) {
}
