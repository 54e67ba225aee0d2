/**
 * pgqueue's test kit, for JUnit 5 and AssertJ: {@link io.github.pgqueue.testing.PgQueueTest} drains due jobs on the
 * test's thread through the real handlers, runs one handler with a {@link io.github.pgqueue.testing.TestJobContext},
 * and clears the schema between tests; {@link io.github.pgqueue.testing.PgQueueAssertions} asserts what was enqueued,
 * read from the job table.
 */
@NullMarked
package io.github.pgqueue.testing;

import org.jspecify.annotations.NullMarked;
