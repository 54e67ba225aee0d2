/**
 * Applies pgqueue's bundled Liquibase changelog with its own tracking tables.
 * <p>
 * Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.schema;

import org.jspecify.annotations.NullMarked;
