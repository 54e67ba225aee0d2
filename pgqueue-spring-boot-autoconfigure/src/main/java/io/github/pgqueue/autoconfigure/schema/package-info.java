/**
 * Applying pgqueue's schema at startup, ordered with the application's other database initializers.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.schema;

import org.jspecify.annotations.NullMarked;
