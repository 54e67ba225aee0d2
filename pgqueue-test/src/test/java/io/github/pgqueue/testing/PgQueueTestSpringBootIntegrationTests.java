package io.github.pgqueue.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.Job;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

import static io.github.pgqueue.testing.PgQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application on the starter, with {@code pgqueue-test} on its class path: the kit is a bean the
 * test injects, over the application's schema, {@code @JobHandler} methods and queue. The worker is
 * off, so only the test runs jobs.
 */
@SpringBootTest(classes = PgQueueTestSpringBootIntegrationTests.SignUpApplication.class,
		properties = "pgqueue.worker.enabled=false")
class PgQueueTestSpringBootIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("pgqueue.schema", db::schema);
		registry.add("pgqueue.queues.emails.concurrency", () -> "1");
	}

	@Autowired
	PgQueueTest pgQueueTest;

	@Autowired
	SignUps signUps;

	@Autowired
	Mailer mailer;

	@BeforeEach
	void clear() {
		this.pgQueueTest.clear();
		this.mailer.sent.clear();
	}

	@Test
	void theApplicationsEnqueueIsAssertedAndItsJobsDrainedThroughItsHandlerBeans() {
		this.signUps.signUp("ada@example.com");

		assertThat(this.pgQueueTest).hasEnqueued(Welcome.class)
			.withPayload(Welcome.class, (welcome) -> welcome.email().equals("ada@example.com"))
			.inQueue("default");
		assertThat(this.mailer.sent).isEmpty();

		DrainResult drained = this.pgQueueTest.drain();

		// the welcome job enqueued the e-mail, which ran in the same drain
		assertThat(drained.jobs()).extracting(DrainedJob::kind).containsExactly("welcome", "send-email");
		assertThat(this.mailer.sent).containsExactly("ada@example.com: Welcome!");
		assertThat(this.pgQueueTest).hasEnqueuedNothing();
		assertThat(this.pgQueueTest).hasJob(SendEmail.class).inQueue("emails").inState(JobState.COMPLETED);
	}

	@Test
	void aHandlerBeansFailureReachesTheTest() {
		this.signUps.signUp("bounce@example.com");

		assertThatThrownBy(this.pgQueueTest::drain).isInstanceOf(JobFailureException.class)
			.hasMessageContaining("kind 'send-email'")
			.hasRootCauseMessage("mailbox bounce@example.com does not exist");
		assertThat(this.pgQueueTest).hasEnqueued(SendEmail.class).inQueue("emails");
	}

	@Test
	void oneHandlerBeanRunsWithATestContext() throws Exception {
		TestJobContext context = this.pgQueueTest.runHandler(new SendEmail("bob@example.com", "Hi"),
				TestJobContext.attempt(2).withRecordedStep("smtp", "sent earlier"));

		assertThat(this.mailer.sent).isEmpty();
		assertThat(context.stepsRun()).isEmpty();
		assertThat(this.pgQueueTest).hasEnqueuedNothing();
	}

	@Job("welcome")
	record Welcome(String email) {
	}

	@Job("send-email")
	record SendEmail(String to, String text) {
	}

	// a test's nested classes are left out of component scanning: imported instead
	@SpringBootApplication
	@Import({ SignUps.class, Mailer.class, SignUpJobs.class })
	static class SignUpApplication {

	}

	static class SignUps {

		private final JobQueue jobQueue;

		SignUps(JobQueue jobQueue) {
			this.jobQueue = jobQueue;
		}

		@Transactional
		void signUp(String email) {
			this.jobQueue.enqueue(new Welcome(email));
		}

	}

	static class Mailer {

		final List<String> sent = new CopyOnWriteArrayList<>();

	}

	static class SignUpJobs {

		private final JobQueue jobQueue;

		private final Mailer mailer;

		SignUpJobs(JobQueue jobQueue, Mailer mailer) {
			this.jobQueue = jobQueue;
			this.mailer = mailer;
		}

		@JobHandler
		void welcome(Welcome welcome) {
			this.jobQueue.enqueue("send-email", new SendEmail(welcome.email(), "Welcome!"),
					EnqueueOptions.builder().queue("emails").build());
		}

		@JobHandler
		void send(SendEmail email, JobContext context) {
			if (email.to().startsWith("bounce")) {
				throw new IllegalStateException("mailbox " + email.to() + " does not exist");
			}
			context.runOnce("smtp", () -> this.mailer.sent.add(email.to() + ": " + email.text()));
		}

	}

}
