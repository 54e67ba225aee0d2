/**
 * Micrometer Tracing for pgqueue's observations: a retry's span linked to the trace its job was enqueued in.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.tracing;

import org.jspecify.annotations.NullMarked;
