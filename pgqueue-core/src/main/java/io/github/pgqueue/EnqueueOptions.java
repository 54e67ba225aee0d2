package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.github.pgqueue.config.StorableText;
import org.jspecify.annotations.Nullable;

/**
 * Per-job options; anything left unset takes the queue's configured default. Built with
 * {@link #builder()}, which rejects invalid values with an {@link IllegalArgumentException} naming
 * the option.
 *
 * <pre>{@code
 * EnqueueOptions.builder().idempotencyKey("email:a@b.c:welcome").maxAttempts(5)
 *     .delay(Duration.ofSeconds(5)).priority(10).queue("emails").build();
 * }</pre>
 */
public final class EnqueueOptions {

	/** The longest idempotency key accepted. */
	public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 512;

	/** The longest queue name accepted. */
	public static final int MAX_QUEUE_NAME_LENGTH = 128;

	/**
	 * The earliest {@link Builder#runAt} accepted: the start of year 1, where the years PostgreSQL
	 * and {@code java.time} write alike begin.
	 */
	public static final Instant MIN_RUN_AT = Instant.parse("0001-01-01T00:00:00Z");

	/** The latest {@link Builder#runAt} accepted: the end of year 9999, PostgreSQL's microseconds. */
	public static final Instant MAX_RUN_AT = Instant.parse("9999-12-31T23:59:59.999999Z");

	/** The longest {@link Builder#delay} accepted: 365,000 days, about a thousand years. */
	public static final Duration MAX_DELAY = Duration.ofDays(365_000);

	private static final EnqueueOptions DEFAULTS = new Builder().build();

	private final @Nullable String idempotencyKey;

	private final @Nullable Integer maxAttempts;

	private final @Nullable Duration delay;

	private final @Nullable Instant runAt;

	private final @Nullable Integer priority;

	private final @Nullable String queue;

	private EnqueueOptions(Builder builder) {
		this.idempotencyKey = builder.idempotencyKey;
		this.maxAttempts = builder.maxAttempts;
		this.delay = builder.delay;
		this.runAt = builder.runAt;
		this.priority = builder.priority;
		this.queue = builder.queue;
	}

	/** @return options that leave everything to the configured defaults */
	public static EnqueueOptions defaults() {
		return DEFAULTS;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Optional<String> idempotencyKey() {
		return Optional.ofNullable(this.idempotencyKey);
	}

	public Optional<Integer> maxAttempts() {
		return Optional.ofNullable(this.maxAttempts);
	}

	/** @return the delay after the database's {@code now()} at enqueue, if one was set */
	public Optional<Duration> delay() {
		return Optional.ofNullable(this.delay);
	}

	/** @return the earliest time the job may run, if one was set */
	public Optional<Instant> runAt() {
		return Optional.ofNullable(this.runAt);
	}

	public Optional<Integer> priority() {
		return Optional.ofNullable(this.priority);
	}

	public Optional<String> queue() {
		return Optional.ofNullable(this.queue);
	}

	/** @return a builder holding these options, to change some of them */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.idempotencyKey = this.idempotencyKey;
		builder.maxAttempts = this.maxAttempts;
		builder.delay = this.delay;
		builder.runAt = this.runAt;
		builder.priority = this.priority;
		builder.queue = this.queue;
		return builder;
	}

	@Override
	public String toString() {
		return "EnqueueOptions[idempotencyKey=" + this.idempotencyKey + ", maxAttempts=" + this.maxAttempts
				+ ", delay=" + this.delay + ", runAt=" + this.runAt + ", priority=" + this.priority + ", queue="
				+ this.queue + "]";
	}

	/** Builds {@link EnqueueOptions}; each setter rejects an invalid value at once, naming it. */
	public static final class Builder {

		private @Nullable String idempotencyKey;

		private @Nullable Integer maxAttempts;

		private @Nullable Duration delay;

		private @Nullable Instant runAt;

		private @Nullable Integer priority;

		private @Nullable String queue;

		private Builder() {
		}

		/** Two enqueues with the same key yield one job for as long as that job is kept. */
		public Builder idempotencyKey(@Nullable String idempotencyKey) {
			if (idempotencyKey != null && (idempotencyKey.isBlank()
					|| idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
				throw new IllegalArgumentException("idempotencyKey must be non-blank and at most "
						+ MAX_IDEMPOTENCY_KEY_LENGTH + " characters, was '" + abbreviate(idempotencyKey) + "'");
			}
			if (idempotencyKey != null) {
				StorableText.require("idempotencyKey", idempotencyKey);
			}
			this.idempotencyKey = idempotencyKey;
			return this;
		}

		/** Attempts before the job goes dead; at least 1. */
		public Builder maxAttempts(int maxAttempts) {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
			}
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * Run no earlier than this long after the database's {@code now()}, from zero to
		 * {@link #MAX_DELAY}, in milliseconds; not with {@link #runAt}.
		 */
		public Builder delay(@Nullable Duration delay) {
			if (delay != null && (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0)) {
				throw new IllegalArgumentException("delay must be from 0 to " + MAX_DELAY.toDays() + " days ("
						+ MAX_DELAY + "), was " + delay);
			}
			this.delay = delay;
			return this;
		}

		/**
		 * Run no earlier than this instant, from {@link #MIN_RUN_AT} to {@link #MAX_RUN_AT}, in
		 * microseconds (PostgreSQL's precision); not with {@link #delay}.
		 */
		public Builder runAt(@Nullable Instant runAt) {
			if (runAt != null && (runAt.isBefore(MIN_RUN_AT) || runAt.isAfter(MAX_RUN_AT))) {
				throw new IllegalArgumentException("runAt must be from " + MIN_RUN_AT + " to " + MAX_RUN_AT
						+ ", was " + runAt);
			}
			this.runAt = runAt;
			return this;
		}

		/** Higher runs first; the default is 0. */
		public Builder priority(int priority) {
			this.priority = priority;
			return this;
		}

		/** The queue to run on; the default is {@code default}. */
		public Builder queue(@Nullable String queue) {
			if (queue != null && (queue.isBlank() || queue.length() > MAX_QUEUE_NAME_LENGTH)) {
				throw new IllegalArgumentException("queue must be non-blank and at most " + MAX_QUEUE_NAME_LENGTH
						+ " characters, was '" + abbreviate(queue) + "'");
			}
			if (queue != null) {
				StorableText.require("queue", queue);
			}
			this.queue = queue;
			return this;
		}

		public EnqueueOptions build() {
			if (this.delay != null && this.runAt != null) {
				throw new IllegalArgumentException("delay and runAt are exclusive: set one of them");
			}
			return new EnqueueOptions(this);
		}

		private static String abbreviate(String value) {
			return (value.length() <= 40) ? value : value.substring(0, 40) + "...";
		}

	}

}
