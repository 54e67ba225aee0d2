/**
 * Spring Boot auto-configuration for pgqueue: properties, the job queue and the worker's lifecycle.
 */
@NullMarked
package io.github.pgqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
