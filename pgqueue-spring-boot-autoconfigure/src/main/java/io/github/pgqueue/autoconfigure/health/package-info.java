/**
 * The {@code pgqueue} health contributor.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
