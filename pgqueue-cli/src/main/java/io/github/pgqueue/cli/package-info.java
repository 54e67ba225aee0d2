/**
 * The pgqueue command line ({@code java -jar pgqueue-cli.jar}): each command one class over core's
 * public operations ({@link io.github.pgqueue.JobOperations}, {@link io.github.pgqueue.JobQueue},
 * {@link io.github.pgqueue.schema.SchemaMigrator}), the same the actuator endpoint uses.
 */
@NullMarked
package io.github.pgqueue.cli;

import org.jspecify.annotations.NullMarked;
