package io.github.pgqueue;

import java.time.Instant;

/**
 * A periodic job's state in the database: the last tick any node enqueued for it.
 *
 * @param name the periodic job's name
 * @param lastTick the last tick enqueued
 * @param updatedAt when a node last recorded a tick, by the database clock
 */
public record PeriodicTick(String name, Instant lastTick, Instant updatedAt) {
}
