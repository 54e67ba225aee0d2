/**
 * Applies pgqueue's bundled Liquibase changelog with its own tracking tables (Liquibase runs that SQL, not
 * {@code store}).
 * <p>
 * May use {@code config}. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.schema;

import org.jspecify.annotations.NullMarked;
