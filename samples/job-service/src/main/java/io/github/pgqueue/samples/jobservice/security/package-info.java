/**
 * Who may do what: the actuator's writes and details for the operator, the job API open, and
 * requests too large for the payload cap refused before they are read.
 */
@NullMarked
package io.github.pgqueue.samples.jobservice.security;

import org.jspecify.annotations.NullMarked;
