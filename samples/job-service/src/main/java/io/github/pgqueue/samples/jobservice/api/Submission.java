package io.github.pgqueue.samples.jobservice.api;

import io.github.pgqueue.EnqueueOptions;

/**
 * A submission that passed every check at the edge, ready to enqueue.
 *
 * @param kind a kind the service handles
 * @param payload the payload record, valid for that kind
 * @param options valid options
 */
public record Submission(String kind, Record payload, EnqueueOptions options) {
}
