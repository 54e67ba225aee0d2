package io.github.pgqueue.store;

import java.time.Instant;

/**
 * Dead jobs of one queue and kind, among the most recently dead ones a read looked at.
 *
 * @param queue the queue
 * @param kind the kind
 * @param jobs how many
 * @param lastDeadAt when the most recent went dead
 */
public record DeadCount(String queue, String kind, long jobs, Instant lastDeadAt) {
}
