/**
 * A database with no set-up: when {@code spring.datasource.url} is not set, a PostgreSQL container
 * where Docker answers, else the service's own database on the server on {@code localhost:5432},
 * else an embedded PostgreSQL.
 */
@NullMarked
package io.github.pgqueue.samples.jobservice.database;

import org.jspecify.annotations.NullMarked;
