package io.github.pgqueue.samples.jobservice;

import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import io.github.pgqueue.JobState;
import io.github.pgqueue.samples.jobservice.jobs.SendEmail;
import io.github.pgqueue.test.TestDatabase;
import io.github.pgqueue.testing.DrainResult;
import io.github.pgqueue.testing.PgQueueTest;
import io.github.pgqueue.testing.TestJobContext;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.pgqueue.testing.PgQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service tested as an application's own tests would be, with pgqueue's test kit
 * ({@code pgqueue-test}) and no worker: a job submitted over HTTP is asserted enqueued, then drained
 * on the test's thread through the real {@code EmailJobs} handler into the embedded SMTP sink.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "pgqueue.worker.enabled=false")
@ActiveProfiles("test")
class SubmittedJobsDrainIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
	}

	@LocalServerPort
	int port;

	@Autowired
	PgQueueTest pgQueueTest;

	@Autowired
	GreenMail smtpSink;

	ServiceClient service;

	@BeforeEach
	void setUp() throws Exception {
		this.service = new ServiceClient(this.port);
		this.pgQueueTest.clear();
		this.smtpSink.purgeEmailFromAllMailboxes();
	}

	@Test
	void aSubmittedEmailIsEnqueuedThenSentWhenDrained() throws Exception {
		this.service.submit("{\"type\":\"send-email\",\"payload\":{\"to\":\"linus@example.com\","
				+ "\"subject\":\"Report\",\"body\":\"Attached.\"},\"priority\":3,\"idempotencyKey\":\"report:linus\"}");

		assertThat(this.pgQueueTest).hasEnqueued(1, SendEmail.class)
			.withPayload(SendEmail.class, (email) -> email.to().equals("linus@example.com"))
			.withPriority(3)
			.withIdempotencyKey("report:linus");
		assertThat(this.smtpSink.getReceivedMessages()).isEmpty();

		DrainResult drained = this.pgQueueTest.drain();

		assertThat(drained.completed()).isEqualTo(1);
		assertThat(this.pgQueueTest).hasEnqueuedNothing();
		assertThat(this.pgQueueTest).hasJob(SendEmail.class).inState(JobState.COMPLETED).single();
		List<MimeMessage> received = List.of(this.smtpSink.getReceivedMessages());
		assertThat(received).singleElement().satisfies((message) -> {
			assertThat(recipients(message)).containsExactly("linus@example.com");
			assertThat(message.getSubject()).isEqualTo("Report");
		});
	}

	@Test
	void theEmailHandlerSendsNothingWhenAnEarlierAttemptRecordedTheSmtpStep() throws Exception {
		TestJobContext context = this.pgQueueTest.runHandler(new SendEmail("linus@example.com", "Again", null),
				TestJobContext.attempt(2).withRecordedStep("smtp", null));

		assertThat(context.stepsRun()).isEmpty();
		assertThat(this.smtpSink.getReceivedMessages()).isEmpty();

		this.pgQueueTest.runHandler(new SendEmail("linus@example.com", "First", null));
		assertThat(this.smtpSink.getReceivedMessages()).singleElement()
			.satisfies((message) -> assertThat(message.getSubject()).isEqualTo("First"));
	}

	private static List<String> recipients(MimeMessage message) {
		try {
			return List.of(message.getAllRecipients()).stream().map(Object::toString).toList();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
