/**
 * Micrometer meters for pgqueue.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
