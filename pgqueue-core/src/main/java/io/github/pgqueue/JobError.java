package io.github.pgqueue;

import java.time.Instant;

/**
 * One failed attempt, as kept in {@code pgqueue_job.errors}.
 *
 * @param attempt the attempt that failed (1 for the first run)
 * @param at when it failed, by the database clock
 * @param message the error's message (its class name when it has none)
 * @param stackTrace a trimmed stack trace; empty for errors pgqueue itself recorded (an expired lease)
 */
public record JobError(int attempt, Instant at, String message, String stackTrace) {
}
