package io.github.pgqueue;

import java.util.Objects;

/**
 * One job to enqueue with {@link JobQueue#enqueueAll(java.util.List)}.
 *
 * @param kind the kind
 * @param payload the payload, any value Jackson can write
 * @param options the options; {@link EnqueueOptions#defaults()} for the configured defaults
 */
public record JobRequest(String kind, Object payload, EnqueueOptions options) {

	public JobRequest {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(options, "options");
	}

	/**
	 * A request for a payload whose type carries {@link Job}, with the configured defaults; see
	 * {@link #withOptions(EnqueueOptions)}.
	 */
	public static JobRequest of(Object payload) {
		return new JobRequest(JobKinds.kindOf(payload), payload, EnqueueOptions.defaults());
	}

	/** @return this request with other options */
	public JobRequest withOptions(EnqueueOptions options) {
		return new JobRequest(this.kind, this.payload, options);
	}

	public static JobRequest of(String kind, Object payload) {
		return new JobRequest(kind, payload, EnqueueOptions.defaults());
	}

	public static JobRequest of(String kind, Object payload, EnqueueOptions options) {
		return new JobRequest(kind, payload, options);
	}

}
