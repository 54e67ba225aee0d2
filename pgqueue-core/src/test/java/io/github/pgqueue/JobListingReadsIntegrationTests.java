package io.github.pgqueue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job list the dashboard and the CLI page through, filtered by state, queue or kind, on a table
 * of many retained jobs where the match is rare and old: each page reads a bounded number of the
 * job table's tuples (counted by PostgreSQL's own statistics, on the one connection the operations
 * use), and paging on finds every match once.
 */
class JobListingReadsIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private static final int RETAINED = 300_000;

	/**
	 * A page's reads: the search window's index entries twice (its matches, then its edge) and its
	 * rows once, the matches again by id, and slack; the same on any size of table.
	 */
	private static final long READ_BOUND = 4L * JobListing.SEARCH_WINDOW;

	static SingleConnectionDataSource connection;

	static JdbcClient jdbc;

	static JobOperations operations;

	static List<Long> rare = new ArrayList<>();

	static long running;

	@BeforeAll
	static void retainManyJobs() {
		// the rare jobs first (the oldest ids), then many completed ones on top of them
		for (int i = 0; i < 3; i++) {
			rare.add(db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, queue, payload, state, attempt, max_attempts,"
					+ " finalized_at) VALUES ('rare', 'far', '{}', 'dead', 1, 1, now()) RETURNING id")
				.query(Long.class)
				.single());
		}
		// and one running job as old, which a page of running jobs finds at once, however far back
		running = db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, state, attempt, max_attempts,"
				+ " lease_owner, lease_expires_at, lease_token) VALUES ('long', '{}', 'running', 0, 1, 'w',"
				+ " now() + interval '1 hour', 1) RETURNING id")
			.query(Long.class)
			.single();
		db.jdbc().sql("INSERT INTO " + db.jobTable() + " (kind, payload, state, attempt, max_attempts, finalized_at)"
				+ " SELECT 'common', jsonb_build_object('n', i), 'completed', 1, 25, now() FROM generate_series(1, "
				+ RETAINED + ") AS i").update();
		db.jdbc().sql("VACUUM ANALYZE " + db.jobTable()).update();
		connection = new SingleConnectionDataSource(TestDatabase.jdbcUrl(), TestDatabase.sharedDataSource().getUsername(),
				TestDatabase.sharedDataSource().getPassword(), true);
		jdbc = JdbcClient.create(connection);
		operations = PgQueue.builder(connection).settings(db.settings().build()).build().jobOperations();
	}

	@AfterAll
	static void close() {
		connection.destroy();
	}

	@Test
	void findsRareOldJobsByStateQueueOrKindInPagesOfBoundedReads() {
		for (JobListing first : List.of(JobListing.newest(20).state(JobState.DEAD), JobListing.newest(20).kind("rare"),
				JobListing.newest(20).queue("far"))) {
			List<Long> found = new ArrayList<>();
			Set<Long> seen = new HashSet<>();
			Optional<JobListing> listing = Optional.of(first);
			int pages = 0;
			while (listing.isPresent()) {
				long before = reads();
				JobPage page = operations.list(listing.get());
				long read = reads() - before;
				assertThat(read).as("job table tuples read by page %d of %s", pages, first).isLessThan(READ_BOUND);
				page.jobs().forEach((job) -> {
					assertThat(seen.add(job.id().value())).as("job %s listed once", job.id()).isTrue();
					found.add(job.id().value());
				});
				listing = page.next();
				pages++;
			}
			assertThat(found).as("the matches of %s, newest first", first).containsExactly(rare.get(2), rare.get(1), rare.get(0));
			assertThat(pages).as("pages of %s", first).isGreaterThan(RETAINED / JobListing.SEARCH_WINDOW);
		}
	}

	@Test
	void readsTheNewestPageAndRunningJobsWithoutSearching() {
		long before = reads();
		assertThat(operations.list(JobListing.newest(50)).jobs()).hasSize(50);
		JobPage runningPage = operations.list(JobListing.newest(50).state(JobState.RUNNING));
		assertThat(runningPage.jobs()).extracting((job) -> job.id().value()).containsExactly(running);
		assertThat(runningPage.next()).isEmpty();
		assertThat(reads() - before).as("tuples read by the newest page and the running jobs").isLessThan(1000);
	}

	// The job table's tuples read so far: this connection's statistics flushed first, then read afresh.
	private static long reads() {
		jdbc.sql("SELECT pg_stat_force_next_flush() IS NULL").query(Boolean.class).single();
		return jdbc.sql("""
				SELECT (SELECT pg_stat_clear_snapshot()) IS NULL AS cleared,
				       COALESCE(t.seq_tup_read, 0) + COALESCE(t.idx_tup_fetch, 0)
				       + (SELECT COALESCE(sum(i.idx_tup_read), 0) FROM pg_stat_user_indexes AS i WHERE i.relid = t.relid)
				       AS reads
				FROM pg_stat_user_tables AS t
				WHERE t.schemaname = :schema AND t.relname = 'pgqueue_job'
				""")
			.param("schema", db.schema())
			.query((rs, row) -> rs.getLong("reads"))
			.single();
	}

}
