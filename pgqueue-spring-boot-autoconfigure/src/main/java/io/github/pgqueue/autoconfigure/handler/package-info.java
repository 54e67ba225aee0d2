/**
 * Discovery of {@link io.github.pgqueue.JobHandler} methods on beans, validated at startup.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.handler;

import org.jspecify.annotations.NullMarked;
