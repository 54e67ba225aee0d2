package io.github.pgqueue.testing;

/**
 * The entry point of the kit's AssertJ assertions, read from the job table (the truth):
 * <pre>{@code
 * assertThat(pgQueueTest).hasEnqueued("send-email")
 *     .withPayload(SendEmail.class, (email) -> email.to().equals("a@b.c"))
 *     .inQueue("emails");
 * assertThat(pgQueueTest).hasEnqueued(3, ResizeImage.class);
 * assertThat(pgQueueTest).hasEnqueuedNothing();
 * }</pre>
 * It can be statically imported beside AssertJ's own {@code Assertions.assertThat}.
 */
public final class PgQueueAssertions {

	private PgQueueAssertions() {
	}

	/** @return assertions on the jobs of the kit's schema */
	public static PgQueueAssert assertThat(PgQueueTest pgQueueTest) {
		return new PgQueueAssert(pgQueueTest);
	}

}
