/**
 * The engine's observation hooks: {@code pgqueue.enqueue} around an enqueue, {@code pgqueue.execute}
 * around a handler's run (their contexts and conventions are API, in {@code io.github.pgqueue}), and
 * the job {@code metadata} that carries the trace context from one to the other. Used by
 * {@code enqueue} and {@code execute}; uses only the root API. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.observation;

import org.jspecify.annotations.NullMarked;
