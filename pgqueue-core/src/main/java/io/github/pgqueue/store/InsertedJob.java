package io.github.pgqueue.store;

import org.jspecify.annotations.Nullable;

/**
 * A row {@link EnqueueStore#insertAllUnlessKeyTaken} inserted.
 *
 * @param id its id
 * @param idempotencyKey its key, if any
 */
public record InsertedJob(long id, @Nullable String idempotencyKey) {
}
