/**
 * The engine's Micrometer observations: {@code pgqueue.enqueue} (producer) around an enqueue and
 * {@code pgqueue.execute} (consumer) around a handler's run, with their contexts and replaceable
 * conventions. The trace context an enqueue's observation propagates is stored in the job's
 * {@code metadata}, and its execution continues it.
 */
@NullMarked
package io.github.pgqueue.observation;

import org.jspecify.annotations.NullMarked;
