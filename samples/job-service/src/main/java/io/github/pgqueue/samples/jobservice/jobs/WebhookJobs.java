package io.github.pgqueue.samples.jobservice.jobs;

import java.time.Duration;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.PermanentJobFailureException;
import io.github.pgqueue.RetryJobException;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.samples.jobservice.JobServiceProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Runs {@code deliver-webhook} jobs: one HTTP POST through Spring's {@link RestClient}, with the
 * connect and read timeouts of {@code job-service.webhook.*}. Every attempt of a job sends the same
 * {@code Idempotency-Key} header ({@code ctx.sideEffectKey("post")}), so a receiver that dedupes on
 * it sees one delivery however often the POST is repeated; that is why the {@code runOnce} step runs
 * again when a crash left it in doubt ({@link RunOnce#retryInDoubt()}).
 * <p>
 * Outcomes: a 2xx response completes the job; 429 and 503 retry after the receiver's
 * {@code Retry-After} seconds when it sends one; any other 4xx is the receiver refusing the
 * delivery, so the job goes to the dead letter at once; other failures (5xx, timeouts, refused
 * connections) retry with backoff.
 */
@Component
public class WebhookJobs {

	/** The request header that carries the delivery's idempotency key. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final RestClient http;

	private final String timeouts;

	public WebhookJobs(RestClient.Builder builder, ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactories,
			ObjectProvider<HttpClientSettings> settings, JobServiceProperties properties) {
		JobServiceProperties.Webhook webhook = properties.getWebhook();
		this.timeouts = "connect-timeout " + webhook.getConnectTimeout().toMillis() + " ms, read-timeout "
				+ webhook.getReadTimeout().toMillis() + " ms";
		HttpClientSettings timeouts = settings.getIfAvailable(HttpClientSettings::defaults)
			.withTimeouts(webhook.getConnectTimeout(), webhook.getReadTimeout());
		this.http = builder
			.requestFactory(requestFactories.getIfAvailable(ClientHttpRequestFactoryBuilder::detect).build(timeouts))
			.build();
	}

	@JobHandler
	void deliver(DeliverWebhook webhook, JobContext ctx) {
		String key = ctx.sideEffectKey("post");
		ctx.runOnce("post", RunOnce.retryInDoubt(), () -> post(webhook, key));
	}

	private void post(DeliverWebhook webhook, String key) {
		try {
			send(webhook, key);
		}
		catch (ResourceAccessException ex) {
			throw new IllegalStateException("webhook receiver " + webhook.url() + " could not be reached or did not "
					+ "answer in time (" + this.timeouts + "): " + ex.getMessage(), ex);
		}
	}

	private void send(DeliverWebhook webhook, String key) {
		this.http.post()
			.uri(webhook.url())
			.header(IDEMPOTENCY_KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(webhook.body())
			.retrieve()
			.onStatus(HttpStatusCode::isError, (request, response) -> {
				HttpStatusCode status = response.getStatusCode();
				String outcome = "webhook receiver " + webhook.url() + " answered " + status.value();
				Duration retryAfter = retryAfter(response.getHeaders());
				if ((status.value() == HttpStatus.TOO_MANY_REQUESTS.value()
						|| status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) && retryAfter != null) {
					throw new RetryJobException(outcome + "; retrying after " + retryAfter.toSeconds() + " s",
							retryAfter);
				}
				if (status.is4xxClientError() && status.value() != HttpStatus.REQUEST_TIMEOUT.value()
						&& status.value() != HttpStatus.TOO_MANY_REQUESTS.value()) {
					throw new PermanentJobFailureException(outcome + ": it refused the delivery");
				}
				throw new IllegalStateException(outcome);
			})
			.toBodilessEntity();
	}

	private static @Nullable Duration retryAfter(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null || !value.trim().matches("\\d{1,6}")) {
			return null;
		}
		return Duration.ofSeconds(Long.parseLong(value.trim()));
	}

}
