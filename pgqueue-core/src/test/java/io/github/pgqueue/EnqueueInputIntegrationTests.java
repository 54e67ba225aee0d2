package io.github.pgqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.pgqueue.enqueue.DefaultJobQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The library's edges: text PostgreSQL cannot store as given, payloads Jackson writes as nothing,
 * times outside what both enqueue paths store alike, a batch larger than one statement, and a queue
 * no configuration names. Each is refused (or told) before anything is written, or leaves nothing.
 */
class EnqueueInputIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final List<String> enqueued = new CopyOnWriteArrayList<>();

	private JobQueue jobQueue;

	private JobOperations operations;

	record Ping() {
	}

	@BeforeEach
	void setUp() {
		db.deleteAllJobs();
		PgQueue pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings().queue(QueueSettings.of("emails", 1)).build())
			.listener(new JobListener() {
				@Override
				public void onEnqueued(String queue, String kind) {
					EnqueueInputIntegrationTests.this.enqueued.add(kind);
				}
			})
			.build();
		this.jobQueue = pgQueue.jobQueue();
		this.operations = pgQueue.jobOperations();
	}

	@Test
	void aNulCharacterIsRefusedNamingTheFieldBeforeAnyWrite() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue("send\0email", "p"))
			.withMessageContaining("kind")
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EnqueueOptions.builder().queue("emails\0"))
			.withMessageContaining("queue")
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EnqueueOptions.builder().idempotencyKey("key\0"))
			.withMessageContaining("idempotencyKey")
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.jobQueue.enqueueAll(List.of(JobRequest.of("fine", "p"), JobRequest.of("bad\0", "p"))))
			.withMessageContaining("requests[1]")
			.withMessageContaining("kind");
		assertThatIllegalArgumentException().isThrownBy(() -> this.operations.findDead("kind\0", 10))
			.withMessageContaining("kind");
		assertThatIllegalArgumentException().isThrownBy(() -> this.operations.retryDead("kind\0"))
			.withMessageContaining("kind");
		assertThatIllegalArgumentException().isThrownBy(() -> this.operations.pause("emails\0"))
			.withMessageContaining("queue");
		assertThatIllegalArgumentException().isThrownBy(() -> this.operations.resume("emails\0"))
			.withMessageContaining("queue");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.operations.list(JobListing.newest(10).queue("emails\0")))
			.withMessageContaining("queue");
		assertThat(db.countJobs()).isZero();
		assertThat(this.operations.pausedQueues()).isEmpty();
	}

	@Test
	void aLoneSurrogateIsRefusedNamingTheFieldSoThatTwoKeysNeverCollide() {
		assertThatIllegalArgumentException().isThrownBy(() -> EnqueueOptions.builder().idempotencyKey("key\uD800"))
			.withMessageContaining("idempotencyKey")
			.withMessageContaining("surrogate");
		assertThatIllegalArgumentException().isThrownBy(() -> EnqueueOptions.builder().idempotencyKey("\uDC00key"))
			.withMessageContaining("idempotencyKey");
		assertThatIllegalArgumentException().isThrownBy(() -> EnqueueOptions.builder().queue("q\uDBFF"))
			.withMessageContaining("queue");
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobQueue.enqueue("kind\uDC00", "p"))
			.withMessageContaining("kind");
		assertThatIllegalArgumentException().isThrownBy(() -> this.operations.retryDead("kind\uD800"))
			.withMessageContaining("kind");
		// a proper pair is one character and is stored as it is
		JobId id = this.jobQueue
			.enqueue("emoji", "p", EnqueueOptions.builder().idempotencyKey("key-\uD83D\uDE00").build())
			.jobId();
		assertThat(this.jobQueue.find(id).orElseThrow().idempotencyKey()).contains("key-\uD83D\uDE00");
		assertThat(db.countJobs()).isEqualTo(1);
	}

	@Test
	void aPayloadJacksonWritesAsNothingIsRefusedNamingItsType() {
		Runnable lambda = () -> {
		};
		Supplier<String> methodReference = "x"::toString;
		for (Object payload : List.of(lambda, methodReference, new Object(), Map.of("cb", lambda))) {
			assertThatIllegalArgumentException().as(payload.getClass().getName())
				.isThrownBy(() -> this.jobQueue.enqueue("callback", payload))
				.withMessageContaining("payload")
				.withMessageContaining(payload.getClass().getName());
			assertThatIllegalArgumentException().as(payload.getClass().getName())
				.isThrownBy(() -> this.jobQueue.enqueueAll(List.of(JobRequest.of("callback", payload))))
				.withMessageContaining(payload.getClass().getName());
		}
		assertThat(db.countJobs()).isZero();
		// deliberately empty values are payloads like any other
		this.jobQueue.enqueue("ping", new Ping());
		this.jobQueue.enqueue("ping", Map.of());
		this.jobQueue.enqueue("ping", List.of());
		assertThat(db.countJobs()).isEqualTo(3);
	}

	@Test
	void runAtAtEitherEndOfTheRangeIsStoredAlikeByEnqueueAndEnqueueAll() {
		for (Instant runAt : List.of(EnqueueOptions.MIN_RUN_AT, EnqueueOptions.MAX_RUN_AT,
				Instant.parse("2030-06-01T12:00:00.123456Z"))) {
			EnqueueOptions options = EnqueueOptions.builder().runAt(runAt).build();
			JobId one = this.jobQueue.enqueue("edge", "p", options).jobId();
			// two queues make enqueueAll take its general statement rather than the uniform one
			JobId batched = this.jobQueue
				.enqueueAll(List.of(JobRequest.of("edge", "p", options),
						JobRequest.of("edge", "p", options.toBuilder().queue("emails").build())))
				.get(0)
				.jobId();
			assertThat(this.jobQueue.find(one).orElseThrow().runAt()).as("enqueue").isEqualTo(runAt);
			assertThat(this.jobQueue.find(batched).orElseThrow().runAt()).as("enqueueAll").isEqualTo(runAt);
		}
	}

	@Test
	void aTimeOutsideTheRangeIsRefusedNamingTheOptionAndTheRange() {
		for (Instant runAt : List.of(Instant.MAX, Instant.MIN, Instant.parse("+10000-01-01T00:00:00Z"),
				Instant.parse("0000-12-31T23:59:59Z"))) {
			assertThatIllegalArgumentException().as(runAt.toString())
				.isThrownBy(() -> EnqueueOptions.builder().runAt(runAt))
				.withMessageContaining("runAt")
				.withMessageContaining(EnqueueOptions.MIN_RUN_AT.toString())
				.withMessageContaining(EnqueueOptions.MAX_RUN_AT.toString());
		}
		for (Duration delay : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(200_000_000),
				EnqueueOptions.MAX_DELAY.plusMillis(1))) {
			assertThatIllegalArgumentException().as(delay.toString())
				.isThrownBy(() -> EnqueueOptions.builder().delay(delay))
				.withMessageContaining("delay")
				.withMessageContaining("365000 days");
		}
		JobId longest = this.jobQueue
			.enqueue("edge", "p", EnqueueOptions.builder().delay(EnqueueOptions.MAX_DELAY).build())
			.jobId();
		assertThat(this.jobQueue.find(longest).orElseThrow().runAt()).isAfter(Instant.now().plus(Duration.ofDays(364_999)));
		this.jobQueue.enqueueAll(List.of(JobRequest.of("edge", "p", EnqueueOptions.builder().delay(EnqueueOptions.MAX_DELAY).build()),
				JobRequest.of("edge", "p", EnqueueOptions.builder().queue("emails").build())));
		assertThat(db.countJobs()).isEqualTo(3);
	}

	@Test
	void enqueueAllLongerThanOneStatementIsOneTransaction() {
		db.jdbc().sql("""
				CREATE FUNCTION %1$s.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'poison refused'; END $$;
				CREATE TRIGGER refuse_poison BEFORE INSERT ON %1$s.pgqueue_job
				    FOR EACH ROW WHEN (NEW.kind = 'poison') EXECUTE FUNCTION %1$s.refuse_poison();
				""".formatted(db.schema())).update();
		try {
			for (boolean keyed : new boolean[] { false, true }) {
				List<JobRequest> requests = new ArrayList<>();
				for (int i = 0; i < DefaultJobQueue.MAX_JOBS_PER_STATEMENT; i++) {
					EnqueueOptions options = keyed ? EnqueueOptions.builder().idempotencyKey("k" + i).build()
							: EnqueueOptions.defaults();
					requests.add(JobRequest.of("fine", "p" + i, options));
				}
				requests.add(JobRequest.of("poison", "last"));
				this.enqueued.clear();
				assertThatThrownBy(() -> this.jobQueue.enqueueAll(requests)).hasMessageContaining("poison refused");
				assertThat(db.countJobs()).as("keyed " + keyed).isZero();
				assertThat(this.enqueued).as("listener told of jobs rolled back").isEmpty();
			}
		}
		finally {
			db.jdbc().sql("DROP TRIGGER refuse_poison ON " + db.jobTable()).update();
		}
		List<JobRequest> requests = new ArrayList<>();
		for (int i = 0; i <= DefaultJobQueue.MAX_JOBS_PER_STATEMENT; i++) {
			requests.add(JobRequest.of("fine", "p" + i));
		}
		assertThat(this.jobQueue.enqueueAll(requests)).hasSize(requests.size());
		assertThat(db.countJobs()).isEqualTo(requests.size());
		assertThat(this.enqueued).hasSize(requests.size());
	}

	@Test
	void aQueueNoConfigurationNamesIsWarnedOfOncePerName() {
		Logger logger = (Logger) LoggerFactory.getLogger(DefaultJobQueue.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			this.jobQueue.enqueue("x", "p", EnqueueOptions.builder().queue("nowhere").build());
			this.jobQueue.enqueue("x", "p", EnqueueOptions.builder().queue("nowhere").build());
			this.jobQueue.enqueueAll(List.of(JobRequest.of("x", "p", EnqueueOptions.builder().queue("nowhere").build()),
					JobRequest.of("x", "p", EnqueueOptions.builder().queue("elsewhere").build())));
			this.jobQueue.enqueue("x", "p", EnqueueOptions.builder().queue("emails").build());
			this.jobQueue.enqueue("x", "p");
		}
		finally {
			logger.detachAppender(appender);
		}
		List<String> warnings = appender.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		assertThat(warnings).hasSize(2);
		assertThat(warnings.get(0)).contains("'nowhere'").contains("default, emails");
		assertThat(warnings.get(1)).contains("'elsewhere'");
	}

}
