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
import org.springframework.boot.http.client.FilteredHostException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
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
 * <p>
 * Only public addresses are reached ({@link WebhookAddresses}): the check is in the HTTP client's
 * own DNS resolution (Apache HttpClient, through Boot's {@code InetAddressFilter}), so the address
 * checked is the address connected to and a name that re-resolves elsewhere cannot slip past it.
 * Redirects are not followed (a {@code 3xx} sends the job dead). A refused target fails the job at
 * once with one message, the same whether anything listens there or not. Through a JVM-wide forward
 * proxy ({@code http.proxyHost}) the proxy resolves the name, so it must refuse the same ranges.
 */
@Component
public class WebhookJobs {

	/** The request header that carries the delivery's idempotency key. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final RestClient http;

	private final String timeouts;

	public WebhookJobs(RestClient.Builder builder, ObjectProvider<HttpClientSettings> settings,
			JobServiceProperties properties, WebhookAddresses addresses) {
		JobServiceProperties.Webhook webhook = properties.getWebhook();
		this.timeouts = "connect-timeout " + webhook.getConnectTimeout().toMillis() + " ms, read-timeout "
				+ webhook.getReadTimeout().toMillis() + " ms";
		HttpClientSettings guarded = settings.getIfAvailable(HttpClientSettings::defaults)
			.withTimeouts(webhook.getConnectTimeout(), webhook.getReadTimeout())
			.withRedirects(HttpRedirects.DONT_FOLLOW)
			.withInetAddressFilter(addresses.filter());
		// Apache HttpClient: its DnsResolver picks the address it connects to, where the filter applies
		// and no retries of its own: the job's attempts are the retries, each one counted and recorded
		this.http = builder
			.requestFactory(ClientHttpRequestFactoryBuilder.httpComponents()
				.withDnsResolver(addresses.resolver())
				.withHttpClientCustomizer((client) -> client.disableAutomaticRetries())
				.build(guarded))
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
		catch (RuntimeException ex) {
			if (refused(ex)) {
				throw new PermanentJobFailureException(WebhookAddresses.refusalOf(webhook.url().getHost()));
			}
			if (!(ex instanceof ResourceAccessException)) {
				throw ex;
			}
			throw new IllegalStateException("webhook receiver " + webhook.url() + " could not be reached or did not "
					+ "answer in time (" + this.timeouts + "): " + ex.getMessage(), ex);
		}
	}

	private static boolean refused(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof FilteredHostException) {
				return true;
			}
		}
		return false;
	}

	private void send(DeliverWebhook webhook, String key) {
		this.http.post()
			.uri(webhook.url())
			.header(IDEMPOTENCY_KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(webhook.body())
			.retrieve()
			.onStatus(HttpStatusCode::is3xxRedirection, (request, response) -> {
				throw new PermanentJobFailureException("webhook receiver " + webhook.url() + " answered "
						+ response.getStatusCode().value() + ", a redirect: redirects are not followed");
			})
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
