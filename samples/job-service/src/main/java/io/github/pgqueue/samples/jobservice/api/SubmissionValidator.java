package io.github.pgqueue.samples.jobservice.api;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.autoconfigure.PgQueueProperties;
import io.github.pgqueue.samples.jobservice.jobs.DeliverWebhook;
import io.github.pgqueue.samples.jobservice.jobs.JobTypes;
import io.github.pgqueue.samples.jobservice.jobs.ProcessImage;
import io.github.pgqueue.samples.jobservice.jobs.SourceImages;
import io.github.pgqueue.samples.jobservice.jobs.WebhookAddresses;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Checks a {@code POST /jobs} body at the edge and turns it into a {@link Submission}, or rejects it
 * with an {@link InvalidSubmissionException} naming the first bad field, in this order: the type
 * (known to the service), the payload (a JSON object that reads into the type's record with no
 * unknown, missing or wrongly typed field, and passes the record's constraints; a webhook's target
 * does not already resolve to a refused address, an image's source stays inside its folder), the options
 * ({@code maxAttempts >= 1}, {@code 0 <= delaySeconds <=} a year, a configured queue, an
 * idempotency key pgqueue accepts), and the payload's size (at most {@code pgqueue.max-payload-size}
 * of JSON). Nothing it rejects reaches the queue.
 */
@Component
public class SubmissionValidator {

	/** The longest delay accepted: a year. */
	static final long MAX_DELAY_SECONDS = Duration.ofDays(365).toSeconds();

	private final JobTypes types;

	private final JsonMapper json;

	private final Validator validator;

	private final Set<String> queues;

	private final long maxPayloadBytes;

	private final WebhookAddresses webhookAddresses;

	private final SourceImages sourceImages;

	public SubmissionValidator(JobTypes types, JsonMapper json, Validator validator, PgQueueProperties pgqueue,
			WebhookAddresses webhookAddresses, SourceImages sourceImages) {
		this.webhookAddresses = webhookAddresses;
		this.sourceImages = sourceImages;
		this.types = types;
		this.json = json;
		this.validator = validator;
		this.queues = new TreeSet<>(pgqueue.getQueues().keySet());
		this.maxPayloadBytes = pgqueue.getMaxPayloadSize().toBytes();
	}

	/**
	 * @param request the body as read
	 * @return the submission to enqueue
	 * @throws InvalidSubmissionException naming the first bad field
	 */
	public Submission validate(SubmitJobRequest request) {
		String kind = kind(request.type());
		Class<? extends Record> type = this.types.payloadType(kind).orElseThrow();
		Record payload = payload(kind, type, request.payload());
		EnqueueOptions options = options(request);
		requireStorable(kind, payload);
		return new Submission(kind, payload, options);
	}

	private String kind(@Nullable String type) {
		Map<String, Object> known = Map.of("knownTypes", this.types.kinds());
		if (type == null || type.isBlank()) {
			throw new InvalidSubmissionException("type", "type is required: one of " + knownTypes(), known);
		}
		if (this.types.payloadType(type).isEmpty()) {
			throw new InvalidSubmissionException("type", "unknown type '" + type + "': known types are " + knownTypes(),
					known);
		}
		return type;
	}

	private String knownTypes() {
		return String.join(", ", this.types.kinds());
	}

	private Record payload(String kind, Class<? extends Record> type, @Nullable JsonNode node) {
		List<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
		if (node == null || node.isNull() || node.isMissingNode()) {
			throw new InvalidSubmissionException("payload", "payload is required: a JSON object with the fields of a "
					+ kind + " job (" + String.join(", ", fields) + ")", Map.of("knownFields", fields));
		}
		if (!node.isObject()) {
			throw new InvalidSubmissionException("payload", "payload must be a JSON object with the fields of a " + kind
					+ " job (" + String.join(", ", fields) + ")", Map.of("knownFields", fields));
		}
		Record payload;
		try {
			payload = this.json.treeToValue(node, type);
		}
		catch (JacksonException ex) {
			throw JsonErrors.rejection(ex, "payload", fields);
		}
		requireConstraints(payload);
		requireReachable(payload);
		return payload;
	}

	private void requireReachable(Record payload) {
		String refusal = null;
		String field = "payload";
		if (payload instanceof DeliverWebhook webhook) {
			refusal = this.webhookAddresses.refusal(webhook.url());
			field = "payload.url";
		}
		else if (payload instanceof ProcessImage image) {
			refusal = this.sourceImages.refusal(image.source());
			field = "payload.source";
		}
		if (refusal != null) {
			throw new InvalidSubmissionException(field, refusal);
		}
	}

	private void requireConstraints(Record payload) {
		List<ConstraintViolation<Record>> violations = this.validator.validate(payload)
			.stream()
			.sorted(Comparator.comparing((violation) -> violation.getPropertyPath().toString()))
			.toList();
		if (!violations.isEmpty()) {
			String detail = violations.stream()
				.map((violation) -> "payload." + violation.getPropertyPath() + " " + violation.getMessage())
				.collect(Collectors.joining("; "));
			throw new InvalidSubmissionException("payload." + violations.get(0).getPropertyPath(), detail);
		}
	}

	private EnqueueOptions options(SubmitJobRequest request) {
		EnqueueOptions.Builder options = EnqueueOptions.builder();
		if (request.maxAttempts() != null) {
			option("maxAttempts", () -> options.maxAttempts(request.maxAttempts()));
		}
		if (request.delaySeconds() != null) {
			long delay = request.delaySeconds();
			if (delay < 0 || delay > MAX_DELAY_SECONDS) {
				throw new InvalidSubmissionException("delaySeconds",
						"delaySeconds must be from 0 to " + MAX_DELAY_SECONDS + " (a year), was " + delay);
			}
			options.delay(Duration.ofSeconds(delay));
		}
		if (request.priority() != null) {
			options.priority(request.priority());
		}
		if (request.queue() != null) {
			if (!this.queues.contains(request.queue())) {
				throw new InvalidSubmissionException("queue", "unknown queue '" + request.queue()
						+ "': known queues are " + String.join(", ", this.queues), Map.of("knownQueues", this.queues));
			}
			options.queue(request.queue());
		}
		if (request.idempotencyKey() != null) {
			option("idempotencyKey", () -> options.idempotencyKey(request.idempotencyKey()));
		}
		return options.build();
	}

	// An option EnqueueOptions checks itself: its IllegalArgumentException names what is wrong.
	private static void option(String field, Runnable set) {
		try {
			set.run();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSubmissionException(field, String.valueOf(ex.getMessage()));
		}
	}

	private void requireStorable(String kind, Record payload) {
		String written = this.json.writeValueAsString(payload);
		// JSON writes a NUL as \u0000, which PostgreSQL's jsonb cannot store
		if (written.contains("\\u0000")) {
			throw new InvalidSubmissionException("payload",
					"payload must not contain a NUL character (\\u0000), which PostgreSQL cannot store");
		}
		long size = written.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.maxPayloadBytes) {
			throw new InvalidSubmissionException("payload", "payload is " + size + " bytes of JSON, over "
					+ "pgqueue.max-payload-size of " + this.maxPayloadBytes + " bytes for a " + kind + " job",
					Map.of("maxPayloadBytes", this.maxPayloadBytes));
		}
	}

}
