/**
 * pgqueue's public API: everything an application touches to define, enqueue and handle jobs.
 * Sub-packages are internal and named for what happens to a job.
 */
@NullMarked
package io.github.pgqueue;

import org.jspecify.annotations.NullMarked;
