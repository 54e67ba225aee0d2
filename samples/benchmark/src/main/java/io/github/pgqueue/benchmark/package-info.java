/**
 * A benchmark of pgqueue beside the plain-SQL limit of the same database, measured in one run.
 */
@NullMarked
package io.github.pgqueue.benchmark;

import org.jspecify.annotations.NullMarked;
