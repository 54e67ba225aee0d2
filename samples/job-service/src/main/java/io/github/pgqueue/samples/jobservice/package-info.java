/**
 * The sample job service: an application on the pgqueue starter with an HTTP API to submit jobs
 * and see them run, and handlers that send email, make thumbnails and deliver webhooks.
 */
@NullMarked
package io.github.pgqueue.samples.jobservice;

import org.jspecify.annotations.NullMarked;
