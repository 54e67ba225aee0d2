package io.github.pgqueue;

/**
 * The identity of a job: the {@code id} column of {@code pgqueue_job}.
 *
 * @param value the database id, always positive
 */
public record JobId(long value) {

	public JobId {
		if (value <= 0) {
			throw new IllegalArgumentException("JobId value must be positive, was " + value);
		}
	}

	public static JobId of(long value) {
		return new JobId(value);
	}

	@Override
	public String toString() {
		return Long.toString(this.value);
	}

}
