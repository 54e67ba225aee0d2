/**
 * The {@code pgqueue} actuator endpoint.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
