/**
 * The test kit in a {@code @SpringBootTest}: a {@link io.github.pgqueue.testing.PgQueueTest} bean over the
 * application's queue, handlers and schema.
 */
@NullMarked
package io.github.pgqueue.testing.autoconfigure;

import org.jspecify.annotations.NullMarked;
