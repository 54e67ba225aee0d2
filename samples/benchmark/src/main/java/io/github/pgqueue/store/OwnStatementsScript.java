package io.github.pgqueue.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A pgbench script of pgqueue's own drain statements, as the engine renders them (this class sits in
 * the store's package, in the benchmark only, to reach them): one claim of {@value #CLAIM} jobs, its
 * jobs started in batches of {@value #START} and completed in batches of {@value #COMPLETE}, each its
 * own transaction, committed as the engine commits it (claims and starts without waiting for the
 * disk, completions waiting). The batch sizes are what the drain of no-op jobs at concurrency 16 makes:
 * a claim refills half of its 512 jobs held ahead, at most 16 handlers wait for a start at once, and
 * a completion takes what finished during the one before. Run by PostgreSQL's C client, it gives what
 * the database reaches with these statements when the client costs nothing: the ceiling of pgqueue's
 * drain on the same server, set by its SQL alone.
 */
public final class OwnStatementsScript {

	/** Jobs per claim. */
	public static final int CLAIM = 256;

	/** Jobs per start. */
	public static final int START = 16;

	/** Jobs per completion. */
	public static final int COMPLETE = 32;

	// The claim's closing SELECT, one row per job: here one row for all of them, the ids and their
	// tokens, which pgbench's \gset keeps for the starts and the completions.
	private static final String CLAIM_RESULT = "SELECT id, queue, kind, payload, attempt, max_attempts, run_at,";

	private static final String CLAIM_RESULT_AS_ONE_ROW = """
			SELECT CAST(coalesce(array_agg(id ORDER BY id), '{}') AS text) AS ids,
			       CAST(coalesce(jsonb_object_agg(id, lease_token), '{}') AS text) AS tokens,
			       count(payload) + count(metadata) AS fetched, (SELECT {asyncCommit}) AS async_commit
			FROM claimed""".replace("{asyncCommit}", Tables.ASYNC_COMMIT);

	private static final String IDS = "CAST(:ids AS bigint[])";

	// The claim's lease, which the lever without starts makes count the attempt as well.
	private static final String CLAIM_LEASE = "SET state = 'running', lease_token = ";

	private static final String CLAIM_LEASE_COUNTING = "SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), "
			+ "lease_token = ";

	private static final String CLAIM_UNSTARTED = "started_at = NULL, lease_owner";

	private static final String CLAIM_STARTED = "started_at = now(), lease_owner";

	private OwnStatementsScript() {
	}

	/**
	 * @param schema the schema of pgqueue's tables
	 * @param agingMillis the priority aging the claim is written for
	 * @return the script: its variables {@code :queue}, {@code :kinds} (a text[] literal), {@code :owner}
	 * and {@code :leaseMillis} are given with {@code -D}
	 */
	public static String render(String schema, long agingMillis) {
		return render(schema, agingMillis, true);
	}

	/**
	 * @param starts whether each job is started by a write of its own, as the engine does; without (a lever,
	 * not the engine: a lost claim reply or a job claimed ahead would then lose an attempt unrun), the claim
	 * counts the attempt itself
	 * @see #render(String, long)
	 */
	public static String render(String schema, long agingMillis, boolean starts) {
		Tables tables = new Tables(schema);
		String claim = new ClaimStore(null, tables).claimSql(CLAIM, agingMillis);
		int result = claim.lastIndexOf(CLAIM_RESULT);
		String start = LeaseStore.sql(tables, LeaseStore.START_IF_LEASED);
		String complete = LeaseStore.sql(tables, LeaseStore.COMPLETE_IF_LEASED);
		if (result < 0 || !claim.contains(CLAIM_LEASE) || !claim.contains(CLAIM_UNSTARTED) || !start.contains(IDS)
				|| !complete.contains(IDS)) {
			throw new IllegalStateException("pgqueue's drain statements changed their shape: update " +
					OwnStatementsScript.class.getSimpleName());
		}
		claim = claim.substring(0, result) + CLAIM_RESULT_AS_ONE_ROW;
		if (!starts) {
			claim = claim.replace(CLAIM_LEASE, CLAIM_LEASE_COUNTING).replace(CLAIM_UNSTARTED, CLAIM_STARTED);
		}
		List<String> script = new ArrayList<>();
		script.add("-- pgqueue's drain statements" + (starts ? "" : ", the claim counting the attempt and no start")
				+ ", rendered by " + OwnStatementsScript.class.getName());
		script.add(claim);
		script.add("\\gset");
		for (int from = 0; starts && from < CLAIM; from += START) {
			script.add(slice(start, from, START) + ";");
		}
		for (int from = 0; from < CLAIM; from += COMPLETE) {
			script.add(slice(complete, from, COMPLETE) + ";");
		}
		return String.join("\n", script) + "\n";
	}

	// the statement for the ids from..from+size-1 of the claim's (PostgreSQL's arrays count from 1)
	private static String slice(String statement, int from, int size) {
		return statement.strip().replace(IDS, "(" + IDS + ")[" + (from + 1) + ":" + (from + size) + "]");
	}

}
