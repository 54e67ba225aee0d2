package io.github.pgqueue.samples.jobservice.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.github.pgqueue.Job;
import io.github.pgqueue.JobKinds;

/**
 * The job types the service accepts, by kind, each with the payload record its submissions are read
 * into. A kind not listed here is rejected at the edge, so a job no handler of this service serves
 * never reaches the queue.
 */
public final class JobTypes {

	private final Map<String, Class<? extends Record>> byKind;

	private JobTypes(Map<String, Class<? extends Record>> byKind) {
		this.byKind = byKind;
	}

	/**
	 * @param payloadTypes payload records, each carrying {@link Job} with a kind of its own
	 * @return the catalogue of those types
	 * @throws IllegalArgumentException when a type has no {@link Job} or two share a kind
	 */
	@SafeVarargs
	public static JobTypes of(Class<? extends Record>... payloadTypes) {
		Map<String, Class<? extends Record>> byKind = new TreeMap<>();
		for (Class<? extends Record> type : payloadTypes) {
			String kind = JobKinds.kindOf(type)
				.orElseThrow(() -> new IllegalArgumentException(type.getName() + " carries no @Job"));
			Class<? extends Record> previous = byKind.putIfAbsent(kind, type);
			if (previous != null) {
				throw new IllegalArgumentException(
						"job type '" + kind + "' is declared by " + previous.getName() + " and " + type.getName());
			}
		}
		return new JobTypes(byKind);
	}

	/**
	 * @param kind a job type's name, as submitted
	 * @return the payload record of that type, unless the service does not know it
	 */
	public Optional<Class<? extends Record>> payloadType(String kind) {
		return Optional.ofNullable(this.byKind.get(kind));
	}

	/** @return the known kinds, sorted */
	public Set<String> kinds() {
		return this.byKind.keySet();
	}

}
