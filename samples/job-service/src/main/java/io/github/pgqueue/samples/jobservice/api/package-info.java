/**
 * The HTTP API: {@code POST /jobs} validates a submission at the edge and enqueues it,
 * {@code GET /jobs/{id}} shows a job; every error is an {@code application/problem+json} body.
 */
@NullMarked
package io.github.pgqueue.samples.jobservice.api;

import org.jspecify.annotations.NullMarked;
