/**
 * The job types the service runs: each a payload record carrying {@code @Job} and a handler whose
 * external effect goes through {@code ctx.runOnce}.
 */
@NullMarked
package io.github.pgqueue.samples.jobservice.jobs;

import org.jspecify.annotations.NullMarked;
