package io.github.pgqueue.store;

import io.github.pgqueue.JobState;

/**
 * What {@link LeaseStore#startIfLeased} made of one claimed job.
 *
 * @param jobId the job id
 * @param state {@code RUNNING} when its handler may start now (its attempt counted),
 * {@code CANCELLED} when it was cancelled while waiting, {@code AVAILABLE} when its queue was paused
 * meanwhile (given back, its attempt not counted)
 * @param attempt the job's attempt now: the number of the attempt that starts, when it starts
 */
public record StartedJob(long jobId, JobState state, int attempt) {
}
