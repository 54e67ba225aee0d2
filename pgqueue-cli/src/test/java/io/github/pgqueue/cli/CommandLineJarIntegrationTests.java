package io.github.pgqueue.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.PermanentJobFailureException;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.schema.SchemaMigrator;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar against the real PostgreSQL, run as a separate process: what it prints, how it
 * exits, and what it changed in the database, judged through core's own operations.
 */
class CommandLineJarIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@RegisterExtension
	static final TestDatabase empty = TestDatabase.withoutMigration();

	private static final CliJar cli = CliJar.built();

	private static PgQueue pgQueue;

	/** Jobs a worker failed for good, so they are dead with a real error and stack trace. */
	private static final List<JobId> dead = new ArrayList<>();

	@BeforeAll
	static void makeDeadJobs() {
		pgQueue = PgQueue.builder(db.dataSource())
			.settings(db.settings().queue(QueueSettings.of("work", 2)).build())
			.handler("fails", String.class, (payload, context) -> {
				throw new PermanentJobFailureException("cannot send to " + payload);
			})
			.build();
		for (int i = 0; i < 4; i++) {
			dead.add(pgQueue.jobQueue().enqueue("fails", "mailbox-" + i, EnqueueOptions.builder().queue("work").build())
				.jobId());
		}
		pgQueue.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("dead") == dead.size());
		}
		finally {
			pgQueue.stop();
		}
	}

	private static String[] withDatabase(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--url", TestDatabase.jdbcUrl(), "--schema", db.schema()));
		return all.toArray(String[]::new);
	}

	private static JobQueue jobs() {
		return pgQueue.jobQueue();
	}

	private static JobOperations operations() {
		return pgQueue.jobOperations();
	}

	private static JobState stateOf(JobId id) {
		return jobs().find(id).map(JobInfo::state).orElseThrow();
	}

	@Test
	void migratesAnEmptySchemaOnceInTheStartersTrackingTables() {
		CliJar.Result first = cli.run("migrate", "--url", TestDatabase.jdbcUrl(), "--schema", empty.schema());
		assertThat(first.exitCode()).as(first.toString()).isZero();
		assertThat(first.out()).matches("(?s)schema " + empty.schema() + ": applied [0-9]+ change sets.*");
		long changeSets = empty.jdbc()
			.sql("SELECT count(*) FROM " + empty.schema() + "." + SchemaMigrator.CHANGELOG_TABLE)
			.query(Long.class)
			.single();
		long migratedByCore = db.jdbc()
			.sql("SELECT count(*) FROM " + db.schema() + "." + SchemaMigrator.CHANGELOG_TABLE)
			.query(Long.class)
			.single();
		assertThat(changeSets).isPositive().isEqualTo(migratedByCore);
		assertThat(empty.jdbc().sql("SELECT to_regclass(:t) IS NOT NULL").param("t", empty.schema() + ".pgqueue_job")
			.query(Boolean.class).single()).isTrue();

		CliJar.Result again = cli.run("migrate", "--json", "--url", TestDatabase.jdbcUrl(), "--schema", empty.schema());
		assertThat(again.exitCode()).as(again.toString()).isZero();
		assertThat(again.json().get("applied").asLong()).isZero();
		assertThat(again.json().get("changeSets").asLong()).isEqualTo(changeSets);
	}

	@Test
	void statusShowsEachQueuesCountsAndPauseAsTextAndJson() {
		jobs().enqueue("report", "now", EnqueueOptions.builder().queue("status-q").build());
		jobs().enqueue("report", "later", EnqueueOptions.builder().queue("status-q").delay(Duration.ofHours(1)).build());
		operations().pause("status-paused");

		CliJar.Result text = cli.run(withDatabase("status"));
		assertThat(text.exitCode()).as(text.toString()).isZero();
		List<String> lines = text.out().lines().toList();
		assertThat(lines.get(0)).startsWith("QUEUE").contains("WAITING", "SCHEDULED", "RUNNING", "DEAD", "PAUSED");
		// columns line up: every row's WAITING count ends where the header's does
		int waitingEnd = lines.get(0).indexOf("WAITING") + "WAITING".length();
		assertThat(lines).filteredOn((line) -> line.startsWith("status-q ")).singleElement()
			.satisfies((row) -> assertThat(row.substring(0, waitingEnd)).endsWith(" 1"))
			.satisfies((row) -> assertThat(row.split(" +")).containsSubsequence("status-q", "1", "1", "0", "0"));
		assertThat(lines).filteredOn((line) -> line.startsWith("status-paused ")).singleElement()
			.satisfies((row) -> assertThat(row).endsWith("paused"));
		assertThat(lines).filteredOn((line) -> line.startsWith("work ")).singleElement()
			.satisfies((row) -> assertThat(row.split(" +")[4]).isEqualTo(Long.toString(db.countJobs("dead"))));

		CliJar.Result json = cli.run(withDatabase("status", "--json"));
		assertThat(json.exitCode()).as(json.toString()).isZero();
		JsonNode queue = queueNamed(json.json(), "status-q");
		assertThat(queue.get("waiting").asLong()).isEqualTo(1);
		assertThat(queue.get("scheduled").asLong()).isEqualTo(1);
		assertThat(queue.get("paused").asBoolean()).isFalse();
		assertThat(queue.get("oldestWaitingSeconds").isNumber()).isTrue();
		assertThat(queueNamed(json.json(), "status-paused").get("paused").asBoolean()).isTrue();
	}

	private static JsonNode queueNamed(JsonNode status, String name) {
		for (JsonNode queue : status.get("queues")) {
			if (queue.get("queue").asString().equals(name)) {
				return queue;
			}
		}
		throw new AssertionError("no queue " + name + " in " + status);
	}

	@Test
	void listsJobsByQueueAndKindInKeysetPages() {
		List<Long> wanted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			wanted.add(0, jobs().enqueue("page-a", i, EnqueueOptions.builder().queue("pages").build()).jobId().value());
			jobs().enqueue("page-b", i, EnqueueOptions.builder().queue("pages").build());
		}

		CliJar.Result first = cli.run(withDatabase("jobs", "--queue", "pages", "--kind", "page-a", "--limit", "2",
				"--json"));
		assertThat(first.exitCode()).as(first.toString()).isZero();
		assertThat(ids(first.json())).containsExactly(wanted.get(0), wanted.get(1));
		long next = first.json().get("next").asLong();
		assertThat(next).isEqualTo(wanted.get(1));

		CliJar.Result second = cli.run(withDatabase("jobs", "--queue", "pages", "--kind", "page-a", "--limit", "2",
				"--after", Long.toString(next)));
		assertThat(second.exitCode()).as(second.toString()).isZero();
		List<String> lines = second.out().lines().toList();
		assertThat(lines.get(0)).startsWith("ID").contains("STATE", "QUEUE", "KIND");
		assertThat(lines).hasSize(2);
		assertThat(lines.get(1).trim().split(" +")).startsWith(Long.toString(wanted.get(2)), "available", "pages",
				"page-a");

		CliJar.Result deadOnly = cli.run(withDatabase("jobs", "--state", "DEAD", "--kind", "fails", "--json"));
		assertThat(deadOnly.exitCode()).as(deadOnly.toString()).isZero();
		for (JsonNode job : deadOnly.json().get("jobs")) {
			assertThat(job.get("state").asString()).isEqualTo("dead");
		}
	}

	private static List<Long> ids(JsonNode page) {
		List<Long> ids = new ArrayList<>();
		page.get("jobs").forEach((job) -> ids.add(job.get("id").asLong()));
		return ids;
	}

	@Test
	void showsOneJobWithItsPayloadAndErrors() {
		JobId id = dead.get(0);
		CliJar.Result text = cli.run(withDatabase("show", id.toString()));
		assertThat(text.exitCode()).as(text.toString()).isZero();
		assertThat(text.out()).contains("state:", "dead", "kind:", "fails", "\"mailbox-0\"",
				"cannot send to mailbox-0", "PermanentJobFailureException");

		CliJar.Result json = cli.run(withDatabase("show", id.toString(), "--json"));
		assertThat(json.exitCode()).as(json.toString()).isZero();
		assertThat(json.json().get("id").asLong()).isEqualTo(id.value());
		assertThat(json.json().get("payload").asString()).isEqualTo("mailbox-0");
		assertThat(json.json().get("errors").get(0).get("message").asString()).contains("cannot send to mailbox-0");
	}

	@Test
	void aJobThatDoesNotExistFailsTheCommandAndABadIdIsBadUsage() {
		CliJar.Result missing = cli.run(withDatabase("show", "987654321"));
		assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
		assertThat(missing.err()).contains("job 987654321 not found");
		assertThat(missing.out()).isEmpty();

		CliJar.Result badId = cli.run(withDatabase("retry", "abc"));
		assertThat(badId.exitCode()).as(badId.toString()).isEqualTo(2);
		assertThat(badId.err()).contains("'abc' is not a job id", "Run 'pgqueue retry --help'");
	}

	@Test
	void retryMakesADeadJobAvailableAndRefusesAnAvailableOne() {
		JobId id = dead.get(1);
		CliJar.Result retried = cli.run(withDatabase("retry", id.toString()));
		assertThat(retried.exitCode()).as(retried.toString()).isZero();
		assertThat(retried.out()).contains("job " + id + " retried");
		assertThat(stateOf(id)).isEqualTo(JobState.AVAILABLE);
		assertThat(jobs().find(id).orElseThrow().errors()).isNotEmpty();

		CliJar.Result again = cli.run(withDatabase("retry", id.toString(), "--json"));
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
		assertThat(again.err()).contains("job " + id + " is available: only a dead or cancelled job can be retried");
		assertThat(stateOf(id)).isEqualTo(JobState.AVAILABLE);
	}

	@Test
	void retryDeadPutsEveryDeadJobOfAKindBack() {
		jobs().enqueue("other-kind", "x");
		JobId one = jobs().enqueue("retry-all", "1");
		JobId two = jobs().enqueue("retry-all", "2");
		for (JobId id : List.of(one, two)) {
			db.jdbc().sql("UPDATE " + db.jobTable() + " SET state = 'dead', finalized_at = now() WHERE id = :id")
				.param("id", id.value())
				.update();
		}

		CliJar.Result result = cli.run(withDatabase("retry-dead", "retry-all", "--json"));
		assertThat(result.exitCode()).as(result.toString()).isZero();
		assertThat(result.json().get("retried").asInt()).isEqualTo(2);
		assertThat(stateOf(one)).isEqualTo(JobState.AVAILABLE);
		assertThat(stateOf(two)).isEqualTo(JobState.AVAILABLE);
	}

	@Test
	void cancelAndDiscardChangeTheJobOnlyInTheStatesTheyApplyTo() {
		JobId waiting = jobs().enqueue("to-cancel", "x");
		CliJar.Result cancelled = cli.run(withDatabase("cancel", waiting.toString()));
		assertThat(cancelled.exitCode()).as(cancelled.toString()).isZero();
		assertThat(stateOf(waiting)).isEqualTo(JobState.CANCELLED);

		CliJar.Result notDead = cli.run(withDatabase("discard", waiting.toString()));
		assertThat(notDead.exitCode()).as(notDead.toString()).isEqualTo(1);
		assertThat(notDead.err()).contains("is cancelled: only a dead job can be discarded");
		assertThat(jobs().find(waiting)).isPresent();

		JobId deadJob = dead.get(2);
		CliJar.Result discarded = cli.run(withDatabase("discard", deadJob.toString(), "--json"));
		assertThat(discarded.exitCode()).as(discarded.toString()).isZero();
		assertThat(discarded.json().get("state").asString()).isEqualTo("deleted");
		assertThat(jobs().find(deadJob)).isEmpty();
	}

	@Test
	void pauseAndResumeAQueueForEveryNode() {
		CliJar.Result paused = cli.run(withDatabase("pause", "emails"));
		assertThat(paused.exitCode()).as(paused.toString()).isZero();
		assertThat(paused.out()).contains("queue emails paused");
		assertThat(operations().pausedQueues()).contains("emails");

		CliJar.Result resumed = cli.run(withDatabase("resume", "emails", "--json"));
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.json().get("paused").asBoolean()).isFalse();
		assertThat(resumed.json().get("wasPaused").asBoolean()).isTrue();
		assertThat(operations().pausedQueues()).doesNotContain("emails");
	}

	@Test
	void badUsageExitsWithTwoAndHelpWithZero() {
		CliJar.Result unknown = cli.run("frobnicate");
		assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
		assertThat(unknown.err()).contains("Unmatched argument", "frobnicate");

		CliJar.Result badLimit = cli.run(withDatabase("jobs", "--limit", "0"));
		assertThat(badLimit.exitCode()).as(badLimit.toString()).isEqualTo(2);
		assertThat(badLimit.err()).contains("--limit must be from 1 to 1000");

		CliJar.Result badState = cli.run(withDatabase("jobs", "--state", "sleeping"));
		assertThat(badState.exitCode()).as(badState.toString()).isEqualTo(2);
		assertThat(badState.err()).contains("'sleeping' is not a state");

		CliJar.Result help = cli.run("jobs", "--help");
		assertThat(help.exitCode()).as(help.toString()).isZero();
		assertThat(help.out()).contains("Usage: pgqueue jobs", "--state", "--after", "--url", "--schema", "--json");
	}

	@Test
	void aDatabaseThatCannotBeReachedFailsNamingTheUrlWithoutThePassword() {
		String url = "jdbc:postgresql://127.0.0.1:1/nowhere?user=ops&password=hunter2";
		CliJar.Result result = cli.run(Map.of("PGPASSWORD", "from-the-environment"), "status", "--url", url);
		assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
		assertThat(result.err()).contains("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere?user=ops&password=***")
			.doesNotContain("hunter2")
			.doesNotContain("from-the-environment");
	}

	@Test
	void aSchemaWithoutTablesSaysToMigrate() {
		CliJar.Result result = cli.run("status", "--url", TestDatabase.jdbcUrl(), "--schema", "no_such_schema_here");
		assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
		assertThat(result.err()).contains("schema 'no_such_schema_here' has no pgqueue tables: run 'migrate' first");
	}

}
