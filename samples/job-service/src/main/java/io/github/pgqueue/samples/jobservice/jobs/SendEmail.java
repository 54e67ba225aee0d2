package io.github.pgqueue.samples.jobservice.jobs;

import io.github.pgqueue.Job;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A {@code send-email} job: one plain-text email. The API validates it (Bean Validation) before it
 * is enqueued, so a handler only ever sees a non-blank, well-formed recipient and subject.
 *
 * @param to the recipient's address
 * @param subject the subject line
 * @param body the text, if any
 */
@Job("send-email")
public record SendEmail(@NotBlank(message = "must not be blank") @Email(message = "must be an email address") String to,
		@NotBlank(message = "must not be blank") @Size(max = 500, message = "must be at most 500 characters") String subject,
		@Nullable String body) {
}
