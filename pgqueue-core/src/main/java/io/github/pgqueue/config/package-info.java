/**
 * Checks shared by the settings and the stores: {@link io.github.pgqueue.config.SqlIdentifier}, the plain SQL
 * identifier a schema name must be before it is formatted into SQL, and
 * {@link io.github.pgqueue.config.StorableText}, text PostgreSQL stores exactly as given.
 * <p>
 * Uses nothing of pgqueue. Internal: not part of pgqueue's public API.
 */
@NullMarked
package io.github.pgqueue.config;

import org.jspecify.annotations.NullMarked;
