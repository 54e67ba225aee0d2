/**
 * What needs Micrometer Tracing itself (an optional dependency): the handler that starts a retry's span
 * in a trace of its own, linked to the trace its job was enqueued in.
 */
@NullMarked
package io.github.pgqueue.observation.tracing;

import org.jspecify.annotations.NullMarked;
