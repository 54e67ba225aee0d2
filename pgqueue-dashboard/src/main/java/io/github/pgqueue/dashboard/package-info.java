/**
 * The pgqueue web dashboard: server-rendered pages over {@link io.github.pgqueue.JobOperations},
 * served by the application's own Spring MVC under {@code pgqueue.dashboard.path}.
 */
@NullMarked
package io.github.pgqueue.dashboard;

import org.jspecify.annotations.NullMarked;
