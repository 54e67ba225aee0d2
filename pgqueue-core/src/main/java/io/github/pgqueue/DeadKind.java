package io.github.pgqueue;

import java.time.Instant;

/**
 * The dead letter's jobs of one kind, among the most recently dead ones looked at.
 *
 * @param kind the kind
 * @param jobs how many of its jobs are dead (a lower bound when the read was capped)
 * @param lastDeadAt when the most recent of them went dead
 */
public record DeadKind(String kind, long jobs, Instant lastDeadAt) {
}
