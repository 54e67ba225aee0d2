/**
 * The embedded SMTP sink (GreenMail) that receives the service's email when no
 * {@code spring.mail.host} is set, and the page that lists what it received.
 */
@NullMarked
package io.github.pgqueue.samples.jobservice.mail;

import org.jspecify.annotations.NullMarked;
