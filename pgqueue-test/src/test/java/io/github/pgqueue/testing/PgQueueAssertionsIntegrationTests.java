package io.github.pgqueue.testing;

import java.time.Duration;
import java.time.Instant;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.Job;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.pgqueue.testing.PgQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The assertions read the job table: each passes on what was enqueued, and fails with a message that
 * names what was asked and lists the jobs it looked at.
 */
class PgQueueAssertionsIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Job("send-email")
	record SendEmail(String to, String subject) {
	}

	@Job("resize-image")
	record ResizeImage(String path) {
	}

	/** A type the e-mails' payloads cannot be read as: their {@code to} is no number. */
	record Numbered(int to) {
	}

	static PgQueueTest kit;

	@BeforeAll
	static void kit() {
		kit = PgQueueTest.builder(db.dataSource())
			.settings(db.settings().build())
			.handler(SendEmail.class, (email, context) -> {
			})
			.build();
	}

	@BeforeEach
	void clear() {
		kit.clear();
	}

	private static void enqueueEmail(String to, EnqueueOptions options) {
		kit.jobQueue().enqueue(JobRequest.of(new SendEmail(to, "Welcome")).withOptions(options));
	}

	@Test
	void hasEnqueuedPassesOnAMatchingJob() {
		Instant before = Instant.now();
		enqueueEmail("ada@example.com", EnqueueOptions.builder()
			.queue("emails")
			.priority(5)
			.maxAttempts(4)
			.idempotencyKey("welcome-ada")
			.delay(Duration.ofMinutes(30))
			.build());

		assertThat(kit).hasEnqueued("send-email")
			.withPayload(SendEmail.class, (email) -> email.to().equals("ada@example.com"))
			.withPayloadSatisfying(SendEmail.class, (email) -> assertThat(email.subject()).isEqualTo("Welcome"))
			.withPayload(new SendEmail("ada@example.com", "Welcome"))
			.inQueue("emails")
			.withPriority(5)
			.withMaxAttempts(4)
			.withIdempotencyKey("welcome-ada")
			.scheduledBetween(before.plus(Duration.ofMinutes(29)), Instant.now().plus(Duration.ofMinutes(31)));
		assertThat(kit).hasEnqueued(SendEmail.class).single();
		assertThat(kit).hasNotEnqueued(ResizeImage.class);
	}

	@Test
	void hasEnqueuedFailsNamingTheKindAndTheJobsThatAreThere() {
		kit.jobQueue().enqueue(new ResizeImage("/a.png"));

		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(kit).hasEnqueued("send-email"))
			.withMessageContaining("Expected a job of kind 'send-email' enqueued, but found 0")
			.withMessageContaining("the jobs enqueued are:")
			.withMessageContaining("kind='resize-image'")
			.withMessageContaining("payload={\"path\": \"/a.png\"}");
	}

	@Test
	void hasEnqueuedFailsOnAnEmptyTableSayingSo() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(kit).hasEnqueued(SendEmail.class))
			.withMessageContaining("Expected a job of kind 'send-email' enqueued, but found 0; no job at all is enqueued");
	}

	@Test
	void aNarrowingFailsNamingWhatDifferedAndListingTheCandidates() {
		enqueueEmail("ada@example.com", EnqueueOptions.builder().queue("default").build());
		enqueueEmail("bob@example.com", EnqueueOptions.builder().queue("bulk").build());

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").inQueue("emails"))
			.withMessageContaining("Expected a job of kind 'send-email' in queue 'emails' enqueued, but none of the 2 "
					+ "jobs of kind 'send-email' enqueued is:")
			.withMessageContaining("queue='default'")
			.withMessageContaining("queue='bulk'");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").withPriority(9))
			.withMessageContaining("with priority 9");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").withIdempotencyKey("k"))
			.withMessageContaining("with idempotency key 'k'")
			.withMessageContaining("idempotencyKey=none");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").withMaxAttempts(99))
			.withMessageContaining("with max attempts 99");
		Instant future = Instant.now().plus(Duration.ofDays(1));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email")
				.scheduledBetween(future, future.plus(Duration.ofHours(1))))
			.withMessageContaining("due between " + future);
	}

	@Test
	void aPayloadNarrowingFailsShowingEachPayloadAndWhy() {
		enqueueEmail("ada@example.com", EnqueueOptions.defaults());

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email")
				.withPayload(SendEmail.class, (email) -> email.to().startsWith("bob")))
			.withMessageContaining("with a SendEmail payload matching the predicate")
			.withMessageContaining("payload SendEmail[to=ada@example.com, subject=Welcome] does not match");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email")
				.withPayloadSatisfying(SendEmail.class, (email) -> assertThat(email.to()).isEqualTo("bob@example.com")))
			.withMessageContaining("satisfying the requirements")
			.withMessageContaining("bob@example.com")
			.withMessageContaining("ada@example.com");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").withPayload(new SendEmail("bob", "Welcome")))
			.withMessageContaining("with payload SendEmail[to=bob, subject=Welcome]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").withPayload(Numbered.class, (numbered) -> true))
			.withMessageContaining("cannot be read as " + Numbered.class.getName());
	}

	@Test
	void hasEnqueuedWithACountPassesOnExactlyThatManyAndFailsOtherwise() {
		enqueueEmail("a@example.com", EnqueueOptions.defaults());
		enqueueEmail("b@example.com", EnqueueOptions.defaults());
		enqueueEmail("c@example.com", EnqueueOptions.builder().queue("bulk").build());

		assertThat(kit).hasEnqueued(3, "send-email");
		assertThat(kit).hasEnqueued(SendEmail.class).inQueue("default").hasCount(2);
		assertThat(kit).hasEnqueued(0, ResizeImage.class);

		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(kit).hasEnqueued(2, "send-email"))
			.withMessageContaining("Expected exactly 2 jobs of kind 'send-email' enqueued, but found 3:")
			.withMessageContaining("a@example.com")
			.withMessageContaining("c@example.com");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued(3, "send-email").inQueue("default"))
			.withMessageContaining("Expected exactly 3 jobs of kind 'send-email' in queue 'default' enqueued, but 2 of the 3");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").inQueue("bulk").hasCount(2))
			.withMessageContaining("Expected exactly 2 jobs of kind 'send-email' in queue 'bulk' enqueued, but found 1:")
			.withMessageContaining("c@example.com");
	}

	@Test
	void hasEnqueuedNothingAndHasNotEnqueuedFailListingWhatWasEnqueued() {
		assertThat(kit).hasEnqueuedNothing();
		kit.jobQueue().enqueue(new ResizeImage("/b.png"));

		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(kit).hasEnqueuedNothing())
			.withMessageContaining("Expected no job enqueued, but found 1:")
			.withMessageContaining("kind='resize-image'");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasNotEnqueued(ResizeImage.class))
			.withMessageContaining("Expected no job of kind 'resize-image' enqueued, but found 1:")
			.withMessageContaining("/b.png");
	}

	@Test
	void aJobThatRanIsNoLongerEnqueuedButIsInTheTable() {
		enqueueEmail("ada@example.com", EnqueueOptions.defaults());
		kit.drain();

		assertThat(kit).hasEnqueuedNothing();
		assertThat(kit).hasJob(SendEmail.class).inState(JobState.COMPLETED).single();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(kit).hasJob("send-email").inState(JobState.DEAD))
			.withMessageContaining("Expected a job of kind 'send-email' in state dead in the job table")
			.withMessageContaining("state=completed");
	}

	@Test
	void singleFailsWhenMoreThanOneJobMatched() {
		enqueueEmail("a@example.com", EnqueueOptions.defaults());
		enqueueEmail("b@example.com", EnqueueOptions.defaults());

		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(kit).hasEnqueued("send-email").single())
			.withMessageContaining("Expected a single job of kind 'send-email' enqueued, but found 2");
		assertThat(assertThat(kit).hasEnqueued("send-email").jobs()).hasSize(2);
	}

	@Test
	void aTypeWithoutJobIsRefusedNamingIt() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> assertThat(kit).hasEnqueued(String.class))
			.withMessageContaining("java.lang.String has no @Job annotation");
	}

}
