/**
 * pgqueue's start-up errors, reported as Spring Boot reports its own.
 */
@NullMarked
package io.github.pgqueue.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
