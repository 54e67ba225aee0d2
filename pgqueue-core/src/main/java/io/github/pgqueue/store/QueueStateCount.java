package io.github.pgqueue.store;

import java.time.Duration;

import io.github.pgqueue.JobState;
import org.jspecify.annotations.Nullable;

/**
 * How many jobs of one queue are in one state.
 *
 * @param queue the queue
 * @param state the state
 * @param jobs the number of jobs
 * @param oldestWaiting for {@code available}, how long the longest-waiting runnable job has waited
 */
public record QueueStateCount(String queue, JobState state, long jobs, @Nullable Duration oldestWaiting) {
}
