package io.github.pgqueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import io.github.pgqueue.test.ExternalClients;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The SQL function {@code pgqueue_enqueue} (changeset 008), called as producers outside Java call it:
 * from the real {@code psql} and from Node.js with node-postgres. Each job it writes is run by a real
 * worker whose poll interval (10 minutes) is far longer than any wait here, so a job that runs at once
 * proves the function's wake-up reached the worker's LISTEN.
 */
class EnqueueFunctionIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final Duration LONG_POLL = Duration.ofMinutes(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	record Greeting(String name) {
	}

	private final Queue<Greeting> greeted = new ConcurrentLinkedQueue<>();

	private PgQueue pgQueue;

	// reads jobs back; never started, so it runs nothing
	private JobQueue reader;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		this.reader = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build().jobQueue();
	}

	@AfterEach
	void stop() {
		if (this.pgQueue != null) {
			this.pgQueue.stop();
		}
	}

	@Test
	void aJobEnqueuedFromPsqlIsRunByAWorkerWokenByItsNotification() {
		startListeningWorker();
		long id = Long.parseLong(psql("SELECT id FROM pgqueue_enqueue('greet', '{\"name\": \"psql\"}');").strip());
		// well before the 10-minute poll: only the notification can have woken the worker
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.COMPLETED);
		assertThat(this.greeted).containsExactly(new Greeting("psql"));
		JobInfo job = job(id);
		assertThat(job.queue()).isEqualTo("default");
		assertThat(job.priority()).isZero();
		assertThat(job.maxAttempts()).as("RetrySettings' default").isEqualTo(25);
	}

	@Test
	void aJobEnqueuedFromNodeIsRunByAWorkerWokenByItsNotification() {
		startListeningWorker();
		JsonNode result = node("""
				[{"kind": "greet", "payload": {"name": "node"}, "priority": 7, "maxAttempts": 3,
				  "idempotencyKey": "greet:node"}]""").get(0);
		assertThat(result.get("duplicate").asBoolean()).isFalse();
		long id = Long.parseLong(result.get("id").asString());
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.COMPLETED);
		assertThat(this.greeted).containsExactly(new Greeting("node"));
		JobInfo job = job(id);
		assertThat(job.priority()).isEqualTo(7);
		assertThat(job.maxAttempts()).isEqualTo(3);
		assertThat(job.idempotencyKey()).isEqualTo("greet:node");
	}

	// the README's trigger: the job is written in the row's transaction, and woken at its commit
	@Test
	void aTriggerEnqueuesInItsRowsTransactionAndTheJobRunsAtItsCommit() {
		startListeningWorker();
		String out = psql("""
				CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);
				CREATE FUNCTION enqueue_welcome() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				    PERFORM pgqueue_enqueue('greet', jsonb_build_object('name', NEW.name),
				        idempotency_key => 'welcome:' || NEW.id);
				    RETURN NEW;
				END $$;
				CREATE TRIGGER users_welcome AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION enqueue_welcome();
				BEGIN;
				INSERT INTO users VALUES (1, 'rolled back');
				ROLLBACK;
				INSERT INTO users VALUES (2, 'trigger');
				SELECT id FROM pgqueue_job WHERE idempotency_key = 'welcome:2';
				""");
		long id = Long.parseLong(out.strip());
		await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.COMPLETED);
		assertThat(this.greeted).containsExactly(new Greeting("trigger"));
		assertThat(db.countJobs()).isEqualTo(1);
	}

	@Test
	void theSameKeyTwiceFromPsqlIsOneJobAndTheSecondSaysDuplicate() {
		String out = psql("""
				SELECT id || ',' || duplicate FROM pgqueue_enqueue('greet', '{"name": "a"}', idempotency_key => 'once');
				SELECT id || ',' || duplicate FROM pgqueue_enqueue('greet', '{"name": "b"}', idempotency_key => 'once');
				""");
		List<String> lines = out.strip().lines().toList();
		String id = lines.get(0).split(",")[0];
		assertThat(lines).containsExactly(id + ",false", id + ",true");
		assertThat(db.countJobs()).isEqualTo(1);
		assertThat(job(Long.parseLong(id)).payload()).contains("\"a\"");
	}

	@Test
	void theSameKeyTwiceFromNodeIsOneJobAndTheSecondSaysDuplicate() {
		JsonNode results = node("""
				[{"kind": "greet", "payload": {"name": "a"}, "idempotencyKey": "node-once"},
				 {"kind": "greet", "payload": {"name": "b"}, "idempotencyKey": "node-once"}]""");
		assertThat(results.get(1).get("id").asString()).isEqualTo(results.get(0).get("id").asString());
		assertThat(results.get(0).get("duplicate").asBoolean()).isFalse();
		assertThat(results.get(1).get("duplicate").asBoolean()).isTrue();
		assertThat(db.countJobs()).isEqualTo(1);
	}

	// one key space: a key Java took is a duplicate to the function, and one the function took is to Java
	@Test
	void aKeyTakenFromJavaIsADuplicateForTheFunctionAndTheOtherWayRound() {
		JobId fromJava = this.reader.enqueue("greet", new Greeting("java"),
				EnqueueOptions.builder().idempotencyKey("from-java").build()).jobId();
		String out = psql("""
				SELECT id || ',' || duplicate FROM pgqueue_enqueue('greet', '{}', idempotency_key => 'from-java');
				SELECT id FROM pgqueue_enqueue('greet', '{}', idempotency_key => 'from-sql',
				    run_at => '2030-01-01T00:00:00Z');
				""");
		List<String> lines = out.strip().lines().toList();
		assertThat(lines.get(0)).isEqualTo(fromJava.value() + ",true");
		long fromSql = Long.parseLong(lines.get(1));
		EnqueueResult again = this.reader.enqueue("greet", new Greeting("java"),
				EnqueueOptions.builder().idempotencyKey("from-sql").build());
		assertThat(again.duplicate()).isTrue();
		assertThat(again.jobId()).isEqualTo(new JobId(fromSql));
		assertThat(job(fromSql).runAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
		assertThat(db.countJobs()).isEqualTo(2);
	}

	// A second enqueue of a key another transaction is inserting waits for that transaction, as
	// JobQueue.enqueue does, then yields the job it committed.
	@Test
	void aConcurrentEnqueueOfTheKeyWaitsForTheFirstAndYieldsItsJob() throws Exception {
		Race race = raceOnKey("raced", Connection::commit);
		assertThat(race.second()).isEqualTo(Map.entry(race.firstId(), true));
		assertThat(db.countJobs()).isEqualTo(1);
	}

	@Test
	void aConcurrentEnqueueOfTheKeyWhoseFirstRollsBackWritesItsOwnJob() throws Exception {
		Race race = raceOnKey("rolled-back", Connection::rollback);
		assertThat(race.second().getKey()).isNotEqualTo(race.firstId());
		assertThat(race.second().getValue()).as("duplicate").isFalse();
		assertThat(db.countJobs()).isEqualTo(1);
	}

	/** The first enqueue's id, and the (id, duplicate) of the second, made while the first was uncommitted. */
	private record Race(long firstId, Map.Entry<Long, Boolean> second) {
	}

	private interface TransactionEnd {

		void end(Connection connection) throws java.sql.SQLException;

	}

	private static Race raceOnKey(String key, TransactionEnd endFirst) throws Exception {
		String call = "SELECT id, duplicate FROM " + db.schema() + ".pgqueue_enqueue('greet', '{}', idempotency_key => '"
				+ key + "')";
		try (Connection first = db.dataSource().getConnection()) {
			first.setAutoCommit(false);
			long firstId;
			try (Statement statement = first.createStatement(); ResultSet rs = statement.executeQuery(call)) {
				rs.next();
				firstId = rs.getLong("id");
			}
			CompletableFuture<Map.Entry<Long, Boolean>> second = CompletableFuture.supplyAsync(() -> {
				try (Connection connection = db.dataSource().getConnection();
						PreparedStatement statement = connection.prepareStatement(call);
						ResultSet rs = statement.executeQuery()) {
					rs.next();
					return Map.entry(rs.getLong("id"), rs.getBoolean("duplicate"));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnALock(call));
			assertThat(second).as("the second enqueue waits for the first transaction").isNotDone();
			endFirst.end(first);
			return new Race(firstId, second.get(30, java.util.concurrent.TimeUnit.SECONDS));
		}
	}

	static Stream<Arguments> badArguments() {
		return Stream.of(
				Arguments.of("'', '{}'", "kind must not be blank"),
				Arguments.of("NULL, '{}'", "kind must not be blank"),
				// U+2003 is whitespace to Java's isBlank; U+00A0 is not (see the next test)
				Arguments.of("E' \\t\\u2003', '{}'", "kind must not be blank"),
				Arguments.of("repeat('k', 256), '{}'", "kind must be at most 255 characters, was 256"),
				// 128 characters outside the BMP: 256 UTF-16 units, as String.length counts them
				Arguments.of("repeat(E'\\U0001F600', 128), '{}'", "kind must be at most 255 characters, was 256"),
				Arguments.of("'greet', NULL", "payload must not be null"),
				Arguments.of("'greet', jsonb_build_object('s', repeat('x', 1048576))",
						"payload of kind 'greet' is 1048585 bytes of JSON, over max-payload-size of 1048576 bytes"),
				Arguments.of("'greet', '{}', queue => ' '", "queue must be non-blank and at most 128 characters, was ' '"),
				Arguments.of("'greet', '{}', queue => repeat('q', 129)",
						"queue must be non-blank and at most 128 characters, was '" + "q".repeat(40) + "...'"),
				Arguments.of("'greet', '{}', idempotency_key => ''",
						"idempotency_key must be non-blank and at most 512 characters, was ''"),
				Arguments.of("'greet', '{}', idempotency_key => repeat('i', 513)",
						"idempotency_key must be non-blank and at most 512 characters, was '" + "i".repeat(40) + "...'"),
				Arguments.of("'greet', '{}', max_attempts => 0", "max_attempts must be at least 1, was 0"),
				Arguments.of("'greet', '{}', delay => '-1 second'", "delay must be from 0 to 365000 days, was -00:00:01"),
				Arguments.of("'greet', '{}', delay => '365001 days'",
						"delay must be from 0 to 365000 days, was 365001 days"),
				Arguments.of("'greet', '{}', run_at => 'infinity'",
						"run_at must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, was infinity"),
				Arguments.of("'greet', '{}', run_at => '0001-01-01 00:00:00+00'::timestamptz - interval '1 microsecond'",
						"run_at must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, was"),
				Arguments.of("'greet', '{}', run_at => now(), delay => '1 second'",
						"delay and run_at are exclusive: set one of them"));
	}

	@ParameterizedTest
	@MethodSource("badArguments")
	void eachBadArgumentIsRefusedFromPsqlWithInvalidParameterValueNamingIt(String arguments, String message) {
		ExternalClients.Result result = ExternalClients
			.psql("SET search_path TO " + db.schema() + ";\nSELECT id FROM pgqueue_enqueue(" + arguments + ");\n");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.stderr()).contains("ERROR:  22023: " + message);
		assertThat(db.countJobs()).isZero();
	}

	@Test
	void whatJavaAcceptsTheFunctionAcceptsAtTheEdges() {
		String out = psql("""
				SELECT count(*) FROM pgqueue_enqueue(E'\\u00a0', '{}');
				SELECT count(*) FROM pgqueue_enqueue(repeat('k', 255), '{}', queue => repeat('q', 128),
				    idempotency_key => repeat('i', 512), max_attempts => 1);
				SELECT count(*) FROM pgqueue_enqueue('greet', '{}', delay => '365000 days');
				SELECT count(*) FROM pgqueue_enqueue('greet', '{}', run_at => '9999-12-31 23:59:59.999999+00');
				SELECT count(*) FROM pgqueue_enqueue('greet', '{}', run_at => '0001-01-01 00:00:00+00');
				SELECT count(*) FROM pgqueue_enqueue('greet', '"a JSON string"', queue => NULL, priority => NULL,
				    max_attempts => NULL);
				""");
		assertThat(out.strip().lines()).containsOnly("1").hasSize(6);
		assertThat(db.countJobs()).isEqualTo(6);
	}

	@Test
	void badArgumentsFromNodeCarryTheSqlStateAndTheMessage() {
		JsonNode results = node("""
				[{"kind": " ", "payload": {}},
				 {"kind": "greet", "payload": {}, "maxAttempts": 0},
				 {"kind": "greet", "payload": {}, "delay": "-5 minutes"},
				 {"kind": "greet", "payload": {}, "delay": "5 minutes", "runAt": "2030-01-01T00:00:00Z"},
				 {"kind": "greet", "payload": {}, "queue": ""}]""");
		assertThat(results.valueStream().map((result) -> result.get("code").asString())).containsOnly("22023");
		assertThat(results.valueStream().map((result) -> result.get("message").asString())).containsExactly(
				"kind must not be blank", "max_attempts must be at least 1, was 0",
				"delay must be from 0 to 365000 days, was -00:05:00", "delay and run_at are exclusive: set one of them",
				"queue must be non-blank and at most 128 characters, was ''");
		assertThat(db.countJobs()).isZero();
	}

	// what PostgreSQL refuses before the function runs: NUL in text, NUL or a lone surrogate in JSON
	@Test
	void textAndJsonPostgresqlCannotHoldAreRefusedFromNodeWithPostgresqlsOwnErrors() {
		JsonNode results = node("""
				[{"kind": "gr\\u0000eet", "payload": {}},
				 {"kind": "greet", "payload": {"s": "\\u0000"}},
				 {"kind": "greet", "payload": {"s": "\\ud800"}}]""");
		assertThat(results.valueStream().map((result) -> result.get("code").asString()))
			.containsExactly("22021", "22P05", "22P02");
		assertThat(results.get(0).get("message").asString()).contains("0x00");
		assertThat(db.countJobs()).isZero();
	}

	@Test
	void aDelayedJobFromNodeWaitsForItsTime() {
		JsonNode result = node("[{\"kind\": \"greet\", \"payload\": {}, \"delay\": \"1 hour\"}]").get(0);
		JobInfo job = job(Long.parseLong(result.get("id").asString()));
		assertThat(job.runAt()).isCloseTo(Instant.now().plus(Duration.ofHours(1)), within(Duration.ofMinutes(1)));
	}

	// A caller's search_path, even a temporary table named pgqueue_job, cannot redirect the function
	@Test
	void theFunctionsPinnedSearchPathIgnoresTheCallersOwn() {
		String out = ExternalClients.psql("CREATE TEMP TABLE pgqueue_job (LIKE " + db.jobTable() + " INCLUDING ALL);\n"
				+ "SET search_path TO pg_temp, public;\n"
				+ "SELECT duplicate FROM " + db.schema() + ".pgqueue_enqueue('greet', '{}');\n"
				+ "SELECT count(*) FROM pg_temp.pgqueue_job;\n").requireSuccess().stdout();
		assertThat(out.strip().lines()).containsExactly("f", "0");
		assertThat(db.countJobs()).isEqualTo(1);
		assertThat(db.jdbc()
			.sql("SELECT array_to_string(proconfig, ';') FROM pg_proc WHERE proname = 'pgqueue_enqueue'"
					+ " AND pronamespace = CAST(:schema AS regnamespace)")
			.param("schema", db.schema())
			.query(String.class)
			.single()).isEqualTo("search_path=" + db.schema() + ", pg_temp");
	}

	// The changelog's files, run by psql in a schema of their own as a DBA without Liquibase would
	// run them; the function then notifies that schema's channel, with the queue as the payload.
	@Test
	void aDbaCanRunTheSqlFilesWithPsqlAndTheFunctionNotifiesTheSchemasChannel() throws Exception {
		String schema = db.schema() + "_dba";
		Path script = Files.createTempFile("pgqueue-dba", ".sql");
		try {
			StringBuilder sql = new StringBuilder("CREATE SCHEMA " + schema + ";\nSET search_path TO " + schema + ";\n");
			Path changelog = Path.of("src/main/resources/db/changelog/pgqueue");
			try (Stream<Path> files = Files.list(changelog)) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".sql")).sorted().toList()) {
					sql.append("\\i ").append(file.toAbsolutePath()).append('\n');
				}
			}
			sql.append("LISTEN pgqueue_").append(schema).append(";\n")
				.append("SELECT 'later', duplicate FROM pgqueue_enqueue('greet', '{}', queue => 'q1', delay => '1 hour');\n")
				.append("SELECT 'now', duplicate FROM pgqueue_enqueue('greet', '{}', queue => 'q2');\n");
			Files.writeString(script, sql);
			ExternalClients.Result result = ExternalClients.psqlFile(script).requireSuccess();
			assertThat(result.stdout()).contains("Asynchronous notification \"pgqueue_" + schema
					+ "\" with payload \"q2\" received")
				.doesNotContain("payload \"q1\"");
		}
		finally {
			Files.deleteIfExists(script);
			db.jdbc().sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
		}
	}

	private void startListeningWorker() {
		this.pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings().pollInterval(LONG_POLL).notifyEnabled(true).queue(QueueSettings.of("default", 2)).build())
			.handler("greet", Greeting.class, (greeting, ctx) -> this.greeted.add(greeting))
			.build();
		this.pgQueue.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pgQueue.worker().isListening());
	}

	private static String psql(String statements) {
		return ExternalClients.psql("SET search_path TO " + db.schema() + ";\n" + statements).requireSuccess().stdout();
	}

	private static JsonNode node(String calls) {
		return json.readTree(ExternalClients.nodeEnqueue(db.schema(), calls));
	}

	private static boolean waitingOnALock(String query) {
		return db.jdbc()
			.sql("SELECT count(*) FROM pg_stat_activity WHERE query = :query AND wait_event_type = 'Lock'")
			.param("query", query)
			.query(Integer.class)
			.single() == 1;
	}

	private JobState state(long id) {
		return job(id).state();
	}

	private JobInfo job(long id) {
		return this.reader.find(new JobId(id)).orElseThrow();
	}

}
