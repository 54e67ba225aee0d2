package io.github.pgqueue.samples.jobservice.jobs;

import java.net.URI;

import io.github.pgqueue.Job;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code deliver-webhook} job: one HTTP POST of a JSON object to a receiver. The API validates it
 * before it is enqueued.
 *
 * @param url the receiver: an absolute {@code http://} or {@code https://} URL
 * @param body the JSON object posted
 */
@Job("deliver-webhook")
public record DeliverWebhook(@NotNull(message = "must not be null") @HttpUrl URI url,
		@NotNull(message = "must not be null") ObjectNode body) {
}
