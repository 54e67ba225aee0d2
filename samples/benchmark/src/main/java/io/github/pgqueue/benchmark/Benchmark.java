package io.github.pgqueue.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.RetentionSettings;
import io.github.pgqueue.store.OwnStatementsScript;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Measures, in one run on one database, pgqueue beside what the database itself reaches on a minimal one-table
 * queue ({@code pgbench -M prepared}, PostgreSQL's C client, running the scripts of {@code samples/benchmark/pgbench})
 * and beside the same statements sent by a JDBC loop: enqueue one at a time and in batches, drain of no-op jobs
 * with concurrency 16 on one node, the same drain by one and by three worker JVMs on one database,
 * enqueue-to-start latency at low load, drain with a million finished jobs retained, and the dead tuples left in
 * the job table. Each figure is the median of {@code --runs} runs, after one untimed pass of everything for a warm
 * JIT. Run with {@code --help} for the options. Loopback only: it refuses any other host.
 */
public final class Benchmark {

	private static final String SCHEMA = "pgqueue_bench";

	// The schema of the retained drains: a million finished jobs in a job table of its own, so that each of them
	// runs beside a drain of the empty table in SCHEMA, alternating.
	private static final String RETAINED_SCHEMA = "pgqueue_bench_retained";

	/** The plain-SQL side's own schema, so that resetting one side never touches the other. */
	private static final String PLAIN = "pgqueue_bench_plain";

	/** The plain side's single-row insert: the statement of {@code pgbench/insert-single.sql}. */
	private static final String PLAIN_INSERT = "INSERT INTO " + PLAIN + ".plain_job (payload) VALUES (CAST(? AS jsonb))";

	/** Untimed statements run first by both sides of a one-at-a-time comparison, for a warm JIT and pool. */
	private static final int WARM_UP = 1000;

	// retention.completed: 0, whose completions delete their jobs
	private static final RetentionSettings DELETE_ON_COMPLETE = new RetentionSettings(Duration.ZERO,
			RetentionSettings.defaults().cancelled(), RetentionSettings.defaults().dead());

	/** Concurrency of every drain, on each node. */
	private static final int CONCURRENCY = 16;

	/** Clients of the plain drain. */
	private static final int PLAIN_CLIENTS = 8;

	// pgbench's clients running pgqueue's own statements: the drain's connections writing at once (the poller,
	// the starter, the completer)
	private static final int OWN_STATEMENTS_CLIENTS = 3;

	private static final String USAGE = """
			Usage: java -jar samples/benchmark/target/pgqueue-benchmark.jar [options]
			  --url URL          jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres (loopback only)
			  --runs N           runs per figure; each figure is their median (3)
			  --jobs N           jobs per drain and per batched enqueue (100000)
			  --retained N       finished jobs retained for the last drain (1000000; 0 skips it)
			  --pgbench PATH     pgbench for the plain-SQL limit (pgbench on the PATH; none skips it)
			  --singles N        rows and jobs of the one-at-a-time figures (5000)
			  --nodes N          worker JVMs draining one database together, beside one (3; 0 skips it)
			  --latency-jobs N   jobs of each latency figure (200; the two figures alternate)
			  --latency-pause MS pause between two latency jobs (50)
			  --setup SQL        run on the job table after the migration, to measure a lever, e.g.
			                     "ALTER TABLE pgqueue_bench.pgqueue_job SET (fillfactor = 70)"
			  --horizon SECONDS  drains while another session holds a REPEATABLE READ snapshot this long,
			                     then after it ends (120; 0 skips it)
			  --only drain       only the drain of no-op jobs and pgbench's claim+complete (for a lever)
			  --only enqueue     only single enqueues: jobs/s and the calling thread's CPU per enqueue
			  --only latency     only the enqueue->start latencies, beside a plain INSERT's
			  --only nodes       only the drains by 1 and by --nodes worker JVMs, with their CPU per job
			  --only retained    only the drains with --retained finished jobs, beside the empty table's
			  --print-script own       prints pgqueue's own drain statements as a pgbench script (levers.sh runs it)
			  --print-script own-without-starts  the same, the claim counting the attempt, no start (a lever)
			  --peer db-scheduler  measures db-scheduler the same way instead (--url, --runs, --jobs, --latency-*)
			""";

	private static final List<String> KNOWN_OPTIONS = List.of("url", "runs", "jobs", "retained", "pgbench", "nodes",
			"latency-jobs", "latency-pause", "node", "concurrency", "peer", "singles", "horizon", "setup", "only",
			"print-script");

	private final HikariDataSource dataSource;

	private final String url;

	private final int jobs;

	private final int retained;

	private final @Nullable Pgbench pgbench;

	private final int nodes;

	private final int singles;

	private final int latencyJobs;

	private final int latencyPauseMillis;

	private final int horizonSeconds;

	private final @Nullable String setup;

	private final @Nullable String only;

	// the calling thread's CPU per enqueue in the last enqueueSingly, in microseconds
	private double enqueueCpuMicros;

	private Benchmark(String url, Map<String, String> options) {
		this.url = url;
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl(url);
		this.dataSource.setMaximumPoolSize(40);
		this.jobs = Integer.parseInt(options.getOrDefault("jobs", "100000"));
		this.retained = Integer.parseInt(options.getOrDefault("retained", "1000000"));
		String pgbench = options.getOrDefault("pgbench", "pgbench");
		this.pgbench = pgbench.equals("none") ? null : Pgbench.of(pgbench, url);
		this.nodes = Integer.parseInt(options.getOrDefault("nodes", "3"));
		this.singles = Integer.parseInt(options.getOrDefault("singles", "5000"));
		this.latencyJobs = Integer.parseInt(options.getOrDefault("latency-jobs", "200"));
		this.latencyPauseMillis = Integer.parseInt(options.getOrDefault("latency-pause", "50"));
		this.horizonSeconds = Integer.parseInt(options.getOrDefault("horizon", "120"));
		this.setup = options.get("setup");
		this.only = options.get("only");
		if (this.only != null && !List.of("drain", "enqueue", "latency", "nodes", "retained").contains(this.only)) {
			throw new IllegalArgumentException(
					"--only takes 'drain', 'enqueue', 'latency', 'nodes' or 'retained', not '" + this.only + "'");
		}
	}

	public static void main(String[] args) throws Exception {
		if (Arrays.asList(args).contains("--help")) {
			System.out.print(USAGE);
			return;
		}
		// Liquibase logs through java.util.logging: route it to logback, which keeps only warnings
		SLF4JBridgeHandler.removeHandlersForRootLogger();
		SLF4JBridgeHandler.install();
		Map<String, String> options = options(args);
		String url = options.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
		if (!url.matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?/.*")) {
			throw new IllegalArgumentException("the benchmark runs against loopback only, not " + url);
		}
		if (options.containsKey("print-script")) {
			String script = options.get("print-script");
			if (!List.of("own", "own-without-starts").contains(script)) {
				throw new IllegalArgumentException(
						"--print-script takes 'own' or 'own-without-starts', not '" + script + "'");
			}
			System.out.print(OwnStatementsScript.render(SCHEMA, EngineSettings.builder().build().priorityAging().toMillis(),
					script.equals("own")));
			return;
		}
		if ("db-scheduler".equals(options.get("peer"))) {
			DbSchedulerBenchmark.run(url, options);
			return;
		}
		if (options.containsKey("node")) {
			WorkerNodes.runNode(url, options.get("node"), Integer.parseInt(options.getOrDefault("concurrency", "16")));
			return;
		}
		int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
		Benchmark benchmark = new Benchmark(url, options);
		try {
			benchmark.run(runs);
		}
		finally {
			benchmark.dataSource.close();
		}
	}

	private void run(int runs) throws Exception {
		Map<String, List<Double>> figures = new LinkedHashMap<>();
		createQueueSchema();
		System.out.printf(Locale.ROOT, "jobs %,d, runs %d, retained %,d, pgbench %s, nodes %d%n", this.jobs, runs,
				this.retained, this.pgbench == null ? "skipped" : "on", this.nodes);
		// one untimed pass of every measurement first: the JIT compiles pgqueue's hot paths (and the
		// driver's) during the first seconds, which would otherwise be measured as pgqueue's cost
		System.out.println("warming up (untimed)");
		if ("drain".equals(this.only)) {
			drainOnly(figures, runs);
			return;
		}
		if ("enqueue".equals(this.only)) {
			enqueueOnly(figures, runs);
			return;
		}
		if ("latency".equals(this.only)) {
			latencyOnly(figures, runs);
			return;
		}
		if ("retained".equals(this.only)) {
			retainedDrains(figures, runs);
			printTable(figures, runs, Ratio.RETAINED);
			return;
		}
		if ("nodes".equals(this.only)) {
			nodeDrains(figures, runs, 1);
			nodeDrains(figures, runs, this.nodes);
			printTable(figures, runs, Ratio.nodes(this.nodes));
			return;
		}
		plainSingleInserts(WARM_UP);
		enqueueSingly(WARM_UP);
		plainBatchInserts(this.jobs);
		enqueueInBatches(this.jobs);
		plainDrain(this.jobs, PLAIN_CLIENTS);
		drain(this.jobs, CONCURRENCY);
		latency(50);
		for (int run = 1; run <= runs; run++) {
			System.out.printf(Locale.ROOT, "run %d/%d%n", run, runs);
			if (this.pgbench != null) {
				resetPlain();
				record(figures, Figure.PGBENCH_SINGLE, this.pgbench.singleInserts(this.singles));
			}
			record(figures, Figure.JDBC_SINGLE, plainSingleInserts(this.singles));
			record(figures, Figure.SINGLE, enqueueSingly(this.singles));
			record(figures, Figure.SINGLE_CPU, this.enqueueCpuMicros);
			if (this.pgbench != null) {
				resetPlain();
				record(figures, Figure.PGBENCH_BATCH, this.pgbench.batchInserts(this.jobs));
			}
			record(figures, Figure.JDBC_BATCH, plainBatchInserts(this.jobs));
			record(figures, Figure.BATCH, enqueueInBatches(this.jobs));
			if (this.pgbench != null) {
				record(figures, Figure.PGBENCH_DRAIN, pgbenchDrain(this.jobs));
				record(figures, Figure.PGBENCH_OWN_STATEMENTS, pgbenchOwnStatements(this.jobs));
			}
			record(figures, Figure.JDBC_DRAIN, plainDrain(this.jobs, PLAIN_CLIENTS));
			record(figures, Figure.DRAIN, drain(this.jobs, CONCURRENCY));
			record(figures, Figure.WAL_ENQUEUE, this.walPerJob[0]);
			record(figures, Figure.WAL_DRAIN, this.walPerJob[1]);
			record(figures, Figure.DRAIN_DELETING, drain(this.jobs, CONCURRENCY, DELETE_ON_COMPLETE));
			recordLatencies(figures);
		}
		if (this.nodes > 0) {
			// this JVM only fills the table meanwhile: its idle connections go back, room for the nodes' pools
			this.dataSource.getHikariConfigMXBean().setMinimumIdle(4);
			this.dataSource.getHikariPoolMXBean().softEvictConnections();
			nodeDrains(figures, runs, 1);
			nodeDrains(figures, runs, this.nodes);
			// filled again in the background while the finished jobs are written
			this.dataSource.getHikariConfigMXBean().setMinimumIdle(this.dataSource.getMaximumPoolSize());
		}
		if (this.horizonSeconds > 0) {
			heldHorizon(figures);
		}
		if (this.retained > 0) {
			retainedDrains(figures, runs);
		}
		record(figures, Figure.DEAD_TUPLES, deadTuples());
		printTable(figures, runs,
				new Ratio("single enqueue / pgbench single-row INSERT", Figure.SINGLE, Figure.PGBENCH_SINGLE),
				new Ratio("enqueueAll / pgbench INSERT of 1,000 rows", Figure.BATCH, Figure.PGBENCH_BATCH),
				Ratio.DRAIN, Ratio.OWN_STATEMENTS, Ratio.DRAIN_TO_OWN_STATEMENTS,
				new Ratio("JDBC claim+complete / pgbench claim+complete", Figure.JDBC_DRAIN, Figure.PGBENCH_DRAIN),
				Ratio.nodes(this.nodes), Ratio.RETAINED,
				new Ratio("drain at the end of a held horizon / its start", Figure.HORIZON_LAST, Figure.HORIZON_FIRST),
				new Ratio("drain after the horizon moved on / its start", Figure.HORIZON_AFTER, Figure.HORIZON_FIRST));
	}

	// single enqueues alone: what a change to the enqueue path (tracing's, say) costs, also as the CPU
	// the calling thread spends per enqueue, which a shared machine's noise moves far less than jobs/s
	private void enqueueOnly(Map<String, List<Double>> figures, int runs) throws Exception {
		enqueueSingly(WARM_UP);
		for (int run = 1; run <= runs; run++) {
			System.out.printf(Locale.ROOT, "run %d/%d%n", run, runs);
			record(figures, Figure.SINGLE, enqueueSingly(this.singles));
			record(figures, Figure.SINGLE_CPU, this.enqueueCpuMicros);
		}
		printTable(figures, runs);
	}

	// a plain INSERT's latency, then pgqueue's enqueue->start latencies, at the same pace
	private void recordLatencies(Map<String, List<Double>> figures) throws Exception {
		double[] plainLatency = plainInsertLatency(this.latencyJobs);
		record(figures, Figure.JDBC_INSERT_P50, plainLatency[0]);
		record(figures, Figure.JDBC_INSERT_P99, plainLatency[1]);
		double[] notifyLatency = plainNotifyLatency(this.latencyJobs);
		record(figures, Figure.JDBC_NOTIFY_P50, notifyLatency[0]);
		record(figures, Figure.JDBC_NOTIFY_P99, notifyLatency[1]);
		double[] latency = latency(this.latencyJobs);
		record(figures, Figure.LATENCY_P50, latency[0]);
		record(figures, Figure.LATENCY_P99, latency[1]);
		record(figures, Figure.SAME_NODE_P50, latency[2]);
		record(figures, Figure.SAME_NODE_P99, latency[3]);
	}

	private void latencyOnly(Map<String, List<Double>> figures, int runs) throws Exception {
		latency(50);
		for (int run = 1; run <= runs; run++) {
			System.out.printf(Locale.ROOT, "run %d/%d%n", run, runs);
			recordLatencies(figures);
		}
		printTable(figures, runs);
	}

	// the drain alone, beside pgbench's claim+complete, each run one after the other
	private void drainOnly(Map<String, List<Double>> figures, int runs) throws Exception {
		drain(this.jobs, CONCURRENCY);
		for (int run = 1; run <= runs; run++) {
			System.out.printf(Locale.ROOT, "run %d/%d%n", run, runs);
			if (this.pgbench != null) {
				record(figures, Figure.PGBENCH_DRAIN, pgbenchDrain(this.jobs));
				record(figures, Figure.PGBENCH_OWN_STATEMENTS, pgbenchOwnStatements(this.jobs));
			}
			record(figures, Figure.DRAIN, drain(this.jobs, CONCURRENCY));
			record(figures, Figure.WAL_DRAIN, this.walPerJob[1]);
			record(figures, Figure.DRAIN_DELETING, drain(this.jobs, CONCURRENCY, DELETE_ON_COMPLETE));
		}
		printTable(figures, runs, Ratio.DRAIN, Ratio.OWN_STATEMENTS, Ratio.DRAIN_TO_OWN_STATEMENTS);
	}

	/** The figures' names: the table's rows, which {@code run-all.sh} also reads. */
	private static final class Figure {

		static final String PGBENCH_SINGLE = "pgbench: single-row INSERT, 1 client (rows/s)";

		static final String JDBC_SINGLE = "plain JDBC: single-row INSERT, 1 client (rows/s)";

		static final String SINGLE = "pgqueue: enqueue one at a time, 1 client, no observation registry (jobs/s)";

		static final String SINGLE_CPU = "pgqueue: JVM CPU per single enqueue, calling thread, no observation registry (microseconds)";

		static final String PGBENCH_BATCH = "pgbench: INSERT of 1,000 rows per statement (rows/s)";

		static final String JDBC_BATCH = "plain JDBC: INSERT of 1,000 rows per statement (rows/s)";

		static final String BATCH = "pgqueue: enqueueAll in batches of 1,000 (jobs/s)";

		static final String PGBENCH_DRAIN = "pgbench: claim 100 + complete, 8 clients (rows/s)";

		static final String PGBENCH_OWN_STATEMENTS = "pgbench: pgqueue's own drain statements on its job table (claim "
				+ OwnStatementsScript.CLAIM + ", starts of " + OwnStatementsScript.START + ", completions of "
				+ OwnStatementsScript.COMPLETE + "), " + OWN_STATEMENTS_CLIENTS + " clients, no JVM (jobs/s)";

		static final String JDBC_DRAIN = "plain JDBC: claim 100 + complete, 8 clients (rows/s)";

		static final String DRAIN = "pgqueue: drain no-op jobs, concurrency 16, 1 node (jobs/s)";

		static final String DRAIN_DELETING = "pgqueue: drain, each job deleted as it completes (retention.completed: 0), "
				+ "concurrency 16, 1 node (jobs/s)";

		static final String WAL_ENQUEUE = "pgqueue: WAL written per job by enqueueAll in batches of 1,000 (bytes)";

		static final String WAL_DRAIN = "pgqueue: WAL written per job by the drain (claim, start, complete; bytes)";

		static final String JDBC_INSERT_P50 = "plain JDBC: single-row INSERT round trip at low load p50 (ms)";

		static final String JDBC_INSERT_P99 = "plain JDBC: single-row INSERT round trip at low load p99 (ms)";

		static final String JDBC_NOTIFY_P50 = "plain JDBC: INSERT with pg_notify, to another connection's LISTEN receiving it, p50 (ms)";

		static final String JDBC_NOTIFY_P99 = "plain JDBC: INSERT with pg_notify, to another connection's LISTEN receiving it, p99 (ms)";

		static final String LATENCY_P50 = "pgqueue: enqueue->start latency p50, notify, enqueued by another node (ms)";

		static final String LATENCY_P99 = "pgqueue: enqueue->start latency p99, notify, enqueued by another node (ms)";

		static final String SAME_NODE_P50 = "pgqueue: enqueue->start latency p50, enqueued by the worker's own node (ms)";

		static final String SAME_NODE_P99 = "pgqueue: enqueue->start latency p99, enqueued by the worker's own node (ms)";

		static final String JDBC_DRAIN_RETAINED = "plain JDBC: claim 100 + complete, 8 clients, finished rows retained (rows/s)";

		static final String DRAIN_RETAINED = "pgqueue: drain, concurrency 16, finished jobs retained (jobs/s)";

		static final String DRAIN_BESIDE_RETAINED = "pgqueue: drain, concurrency 16, empty table, alternating with the "
				+ "retained drains (jobs/s)";

		static final String DEAD_TUPLES = "pgqueue: dead tuples in pgqueue_job after the run";

		static final String HORIZON_FIRST = "pgqueue: drain, REPEATABLE READ snapshot held elsewhere, first batch (jobs/s)";

		static final String HORIZON_LAST = "pgqueue: drain, REPEATABLE READ snapshot held elsewhere, last batch (jobs/s)";

		static final String HORIZON_DEAD = "pgqueue: dead tuples in pgqueue_job when the snapshot ends";

		static final String HORIZON_AFTER = "pgqueue: drain after the snapshot ended, first batch (jobs/s)";

		static final String HORIZON_DEAD_AFTER = "pgqueue: dead tuples in pgqueue_job, batches a minute on after the snapshot ended";

		static String nodesCpu(int nodes, String who) {
			return "pgqueue: CPU per job during the drain by " + nodes + " worker JVM" + (nodes == 1 ? "" : "s") + ", "
					+ who + " (microseconds)";
		}

		static String nodes(int nodes) {
			return "pgqueue: drain, concurrency 16 each, " + nodes + " worker JVM" + (nodes == 1 ? "" : "s")
					+ " on one database (jobs/s)";
		}

	}

	/** Prints the figures' medians and runs as a Markdown table, the rows {@code run-all.sh} gathers. */
	static void printTable(Map<String, List<Double>> figures, int runs) {
		System.out.println();
		System.out.printf(Locale.ROOT, "| figure | median of %d | runs |%n|---|---|---|%n", runs);
		figures.forEach((name, values) -> System.out.printf(Locale.ROOT, "| %s | %,.1f | %s |%n", name, median(values),
				values.stream().map((value) -> String.format(Locale.ROOT, "%,.1f", value)).collect(Collectors.joining(", "))));
	}

	/** Prints the table, then the ratios of medians (each only when both of its figures were measured). */
	static void printTable(Map<String, List<Double>> figures, int runs, Ratio... ratios) {
		printTable(figures, runs);
		System.out.println();
		System.out.println("| ratio of medians | value |\n|---|---|");
		for (Ratio ratio : ratios) {
			if (figures.containsKey(ratio.numerator()) && figures.containsKey(ratio.denominator())) {
				System.out.printf(Locale.ROOT, "| %s | %.0f%% |%n", ratio.name(),
						100 * median(figures.get(ratio.numerator())) / median(figures.get(ratio.denominator())));
			}
		}
	}

	/**
	 * A ratio of two figures' medians, as a target states it.
	 *
	 * @param name its row in the table of ratios
	 * @param numerator the figure above
	 * @param denominator the figure below
	 */
	private record Ratio(String name, String numerator, String denominator) {

		static final Ratio DRAIN = new Ratio("drain / pgbench claim+complete", Figure.DRAIN, Figure.PGBENCH_DRAIN);

		static final Ratio OWN_STATEMENTS = new Ratio("pgbench running pgqueue's own statements / pgbench claim+complete",
				Figure.PGBENCH_OWN_STATEMENTS, Figure.PGBENCH_DRAIN);

		static final Ratio DRAIN_TO_OWN_STATEMENTS = new Ratio("drain / pgbench running pgqueue's own statements",
				Figure.DRAIN, Figure.PGBENCH_OWN_STATEMENTS);

		static final Ratio RETAINED = new Ratio("drain with finished jobs retained / empty table, alternating",
				Figure.DRAIN_RETAINED, Figure.DRAIN_BESIDE_RETAINED);

		static Ratio nodes(int nodes) {
			return new Ratio(nodes + " worker JVMs / 1 worker JVM", Figure.nodes(nodes), Figure.nodes(1));
		}

	}


	// ---- plain SQL: the database's own limit on this machine ----

	// the table of pgbench/plain-table.sql, re-created empty
	private void resetPlain() throws SQLException {
		execute(Pgbench.plainTableSql());
	}

	private double plainSingleInserts(int rows) throws SQLException {
		resetPlain();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection
					.prepareStatement(PLAIN_INSERT)) {
			for (int i = 0; i < WARM_UP; i++) {
				insert.setString(1, "{\"n\": " + i + "}");
				insert.executeUpdate();
			}
			long start = System.nanoTime();
			for (int i = 0; i < rows; i++) {
				insert.setString(1, "{\"n\": " + i + "}");
				insert.executeUpdate();
			}
			return perSecond(rows, start);
		}
	}

	// The floor under enqueue-to-start latency: one INSERT's round trip and commit, at the same pace
	// as the latency measurement (a pause after each), which an idle machine answers more slowly
	// than a busy loop.
	private double[] plainInsertLatency(int count) throws Exception {
		resetPlain();
		double[] millis = new double[count];
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection
					.prepareStatement(PLAIN_INSERT)) {
			for (int i = 0; i < count; i++) {
				insert.setString(1, "{\"n\": " + i + "}");
				long start = System.nanoTime();
				insert.executeUpdate();
				millis[i] = (System.nanoTime() - start) / 1_000_000.0;
				TimeUnit.MILLISECONDS.sleep(this.latencyPauseMillis);
			}
		}
		Arrays.sort(millis);
		return new double[] { percentile(millis, 50), percentile(millis, 99) };
	}

	// The floor under the latency of a job enqueued by another node: an INSERT that notifies in its own
	// statement (as pgqueue's enqueue does), from just before the call to the moment another connection,
	// blocked in PgJDBC's getNotifications as pgqueue's listener is, receives the notification; at the
	// same pace as the latency measurement. No claim, no start, no thread hand-off: what is left is the
	// INSERT's commit and PostgreSQL's delivery of the notification.
	private double[] plainNotifyLatency(int count) throws Exception {
		resetPlain();
		double[] millis = new double[count];
		BlockingQueue<Long> received = new LinkedBlockingQueue<>();
		try (Connection listening = this.dataSource.getConnection();
				Connection sending = this.dataSource.getConnection();
				PreparedStatement insert = sending.prepareStatement("WITH ins AS (" + PLAIN_INSERT
						+ " RETURNING id) SELECT pg_notify('" + PLAIN + "', CAST(id AS text)) FROM ins")) {
			try (Statement listen = listening.createStatement()) {
				listen.execute("LISTEN " + PLAIN);
			}
			PGConnection pg = listening.unwrap(PGConnection.class);
			AtomicBoolean listeningOn = new AtomicBoolean(true);
			Thread listener = new Thread(() -> {
				try {
					while (listeningOn.get()) {
						PGNotification[] notifications = pg.getNotifications(500);
						if (notifications != null && notifications.length > 0) {
							received.add(System.nanoTime());
						}
					}
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			}, "plain-listener");
			listener.start();
			try {
				for (int i = 0; i < count; i++) {
					insert.setString(1, "{\"n\": " + i + "}");
					long start = System.nanoTime();
					insert.execute();
					Long at = received.poll(10, TimeUnit.SECONDS);
					if (at == null) {
						throw new IllegalStateException("a notification did not arrive within 10 s");
					}
					millis[i] = (at - start) / 1_000_000.0;
					TimeUnit.MILLISECONDS.sleep(this.latencyPauseMillis);
				}
			}
			finally {
				listeningOn.set(false);
				listener.join();
				try (Statement unlisten = listening.createStatement()) {
					unlisten.execute("UNLISTEN *");
				}
			}
		}
		Arrays.sort(millis);
		return new double[] { percentile(millis, 50), percentile(millis, 99) };
	}

	private double plainBatchInserts(int rows) throws SQLException {
		resetPlain();
		long start = System.nanoTime();
		plainFill(rows);
		return perSecond(rows, start);
	}

	private void plainFill(int rows) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement("INSERT INTO " + PLAIN
						+ ".plain_job (payload) SELECT CAST(p AS jsonb) FROM unnest(CAST(? AS text[])) AS p")) {
			for (int from = 0; from < rows; from += 1000) {
				String[] payloads = IntStream.range(from, Math.min(rows, from + 1000))
					.mapToObj((i) -> "{\"n\": " + i + "}")
					.toArray(String[]::new);
				insert.setArray(1, connection.createArrayOf("text", payloads));
				insert.executeUpdate();
			}
		}
	}

	private double plainDrain(int rows, int clients) throws Exception {
		resetPlain();
		plainFill(rows);
		execute("VACUUM ANALYZE " + PLAIN + ".plain_job");
		return plainDrainFilled(rows, clients);
	}

	private double pgbenchDrain(int rows) throws Exception {
		resetPlain();
		plainFill(rows);
		execute("VACUUM ANALYZE " + PLAIN + ".plain_job");
		double rate = java.util.Objects.requireNonNull(this.pgbench).drain(rows, PLAIN_CLIENTS);
		long left = count("SELECT count(*) FROM " + PLAIN + ".plain_job WHERE state <> 'done'");
		if (left != 0) {
			throw new IllegalStateException("pgbench's drain left " + left + " of " + rows + " rows undone");
		}
		return rate;
	}

	/**
	 * The drain's statements without the JVM: pgqueue's job table filled as for the drain, drained by pgbench running
	 * the claim, starts and completions the engine would send for it.
	 */
	private double pgbenchOwnStatements(int rows) throws Exception {
		resetQueue();
		PgQueue pgQueue = pgQueue(CONCURRENCY, (payload, ctx) -> {
		});
		fill(pgQueue.jobQueue(), rows);
		execute("VACUUM ANALYZE " + this.schema + ".pgqueue_job");
		String script = OwnStatementsScript.render(this.schema, pgQueue.settings().priorityAging().toMillis());
		pgQueue.close();
		double rate = java.util.Objects.requireNonNull(this.pgbench)
			.ownStatementsDrain(script, Map.of("queue", "default", "kinds", "{noop}", "owner", "pgbench",
					"leaseMillis", String.valueOf(pgQueue.settings().leaseDuration().toMillis())), rows,
					OWN_STATEMENTS_CLIENTS);
		long left = count("SELECT count(*) FROM " + this.schema + ".pgqueue_job WHERE state <> 'completed' OR attempt <> 1");
		if (left != 0) {
			throw new IllegalStateException("pgbench's drain with pgqueue's statements left " + left + " of " + rows
					+ " jobs not completed once");
		}
		return rate;
	}

	private double plainDrainRetained(int rows, int clients) throws Exception {
		execute("DELETE FROM " + PLAIN + ".plain_job WHERE state <> 'done'");
		plainFill(rows);
		execute("VACUUM ANALYZE " + PLAIN + ".plain_job");
		return plainDrainFilled(rows, clients);
	}

	private double plainDrainFilled(int rows, int clients) throws Exception {
		AtomicInteger done = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		long start = System.nanoTime();
		List<Future<?>> futures = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			futures.add(executor.submit(() -> {
				try (Connection connection = this.dataSource.getConnection();
						PreparedStatement claim = connection.prepareStatement("UPDATE " + PLAIN
								+ ".plain_job SET state = 'running' WHERE id IN (SELECT id FROM " + PLAIN
								+ ".plain_job WHERE state = 'available' ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED) RETURNING id");
						PreparedStatement complete = connection.prepareStatement(
								"UPDATE " + PLAIN + ".plain_job SET state = 'done' WHERE id = ANY(?)")) {
					while (true) {
						List<Long> ids = new ArrayList<>();
						try (ResultSet rs = claim.executeQuery()) {
							while (rs.next()) {
								ids.add(rs.getLong(1));
							}
						}
						if (ids.isEmpty()) {
							return null;
						}
						complete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
						complete.executeUpdate();
						done.addAndGet(ids.size());
					}
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get();
		}
		executor.shutdown();
		if (done.get() != rows) {
			throw new IllegalStateException("plain drain finished " + done.get() + " of " + rows);
		}
		return perSecond(rows, start);
	}

	// ---- pgqueue ----

	private PgQueue pgQueue(int concurrency, PgQueue.Handler<Long> handler) {
		return pgQueue(concurrency, RetentionSettings.defaults(), handler);
	}

	private PgQueue pgQueue(int concurrency, RetentionSettings retention, PgQueue.Handler<Long> handler) {
		return PgQueue.builder(this.dataSource)
			.settings(EngineSettings.builder()
				.schema(this.schema)
				.retention(retention)
				.queue(QueueSettings.of("default", concurrency))
				.notifyEnabled(!Boolean.getBoolean("pgqueue.benchmark.no-notify"))
				.build())
			.handler("noop", Long.class, handler)
			.listener(new JobListener() {
				@Override
				public void onCompleted(String queue, String kind, Duration execution) {
					Benchmark.this.completed.incrementAndGet();
				}
			})
			.build();
	}

	// A fresh schema once per benchmark run, applied by pgqueue's own migration.
	private void createQueueSchema() throws SQLException {
		execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		pgQueue(1, (payload, ctx) -> {
		}).migrate();
		if (this.setup != null) {
			// written for the benchmark's schema; the retained drains' schema gets the same
			String setup = this.setup.replace(SCHEMA + ".", this.schema + ".");
			System.out.println("setup: " + setup);
			execute(setup);
		}
	}

	// Empties every pgqueue table: TRUNCATE gives each a new file, as empty as a new table and without
	// its dead tuples, so each measurement starts from the same place.
	private void resetQueue() throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + this.schema
						+ "' AND tablename NOT LIKE 'pgqueue_databasechangelog%'")) {
			while (rs.next()) {
				tables.add(this.schema + "." + rs.getString(1));
			}
		}
		execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY");
	}

	private double enqueueSingly(int count) throws SQLException {
		resetQueue();
		JobQueue jobQueue = pgQueue(1, (payload, ctx) -> {
		}).jobQueue();
		for (long i = 0; i < WARM_UP; i++) {
			jobQueue.enqueue("noop", i);
		}
		java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
		long cpuStart = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			jobQueue.enqueue("noop", i);
		}
		double rate = perSecond(count, start);
		this.enqueueCpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1000.0 / count;
		return rate;
	}

	private double enqueueInBatches(int count) throws SQLException {
		resetQueue();
		JobQueue jobQueue = pgQueue(1, (payload, ctx) -> {
		}).jobQueue();
		long start = System.nanoTime();
		fill(jobQueue, count);
		return perSecond(count, start);
	}

	private static void fill(JobQueue jobQueue, int count) {
		for (int from = 0; from < count; from += 1000) {
			jobQueue.enqueueAll(IntStream.range(from, Math.min(count, from + 1000))
				.mapToObj((i) -> JobRequest.of("noop", (long) i))
				.toList());
		}
	}

	private double drain(int count, int concurrency) throws Exception {
		return drain(count, concurrency, RetentionSettings.defaults());
	}

	private double drain(int count, int concurrency, RetentionSettings retention) throws Exception {
		if (this.retainedNow == 0) {
			resetQueue();
		}
		PgQueue pgQueue = pgQueue(concurrency, retention, (payload, ctx) -> {
		});
		long walBeforeFill = walPosition();
		fill(pgQueue.jobQueue(), count);
		long walAfterFill = walPosition();
		execute("VACUUM ANALYZE " + this.schema + ".pgqueue_job");
		long walBeforeDrain = walPosition();
		this.completed.set(0);
		long start = System.nanoTime();
		pgQueue.start();
		// done when every completion is written (the listener hears of it then), not when every handler returned
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		while (this.completed.get() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("drain did not finish");
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
		double rate = perSecond(count, start);
		this.walPerJob = new double[] { (double) (walAfterFill - walBeforeFill) / count,
				(double) (walPosition() - walBeforeDrain) / count };
		pgQueue.stop();
		long unfinished = count("SELECT count(*) FROM " + this.schema + ".pgqueue_job WHERE state <> 'completed'");
		if (unfinished != 0) {
			throw new IllegalStateException(unfinished + " jobs not completed after the drain");
		}
		if (retention.completed().isZero() && count("SELECT count(*) FROM " + this.schema + ".pgqueue_job") != 0) {
			throw new IllegalStateException("completed jobs were kept with retention.completed: 0");
		}
		return rate;
	}

	/**
	 * Enqueue-to-start latency at low load, notify on: the clock starts just before the enqueue call (the payload
	 * is {@code System.nanoTime()}, read as the call's argument) and stops at the handler's first line. The next job
	 * is enqueued only once this one started, after a pause. Jobs alternate between two producers, so that both
	 * figures see the same machine at the same moments: another node (a second {@link PgQueue} that never starts a
	 * worker), whose jobs the worker learns of from the database's notification, as when a web node enqueues; and
	 * the worker's own node, whose enqueue also wakes that worker in-process after its commit, without the
	 * notification's round trip.
	 * @return p50 and p99 enqueued by another node, then p50 and p99 enqueued by the worker's own node, in ms
	 */
	private double[] latency(int count) throws Exception {
		resetQueue();
		List<List<Long>> latencies = List.of(new ArrayList<>(), new ArrayList<>());
		AtomicInteger producing = new AtomicInteger();
		Semaphore started = new Semaphore(0);
		PgQueue pgQueue = pgQueue(4, (enqueuedAt, ctx) -> {
			long latency = System.nanoTime() - enqueuedAt;
			// one job in flight at a time: the producer of the job running now is the one that enqueued last
			latencies.get(producing.get()).add(latency);
			started.release();
		});
		PgQueue otherNode = PgQueue.builder(this.dataSource).settings(pgQueue.settings()).build();
		List<JobQueue> producers = List.of(otherNode.jobQueue(), pgQueue.jobQueue());
		pgQueue.start();
		awaitListening(pgQueue);
		for (int i = 0; i < 2 * count; i++) {
			producing.set(i % 2);
			producers.get(i % 2).enqueue("noop", System.nanoTime());
			// low load: the next job only after this one started (waiting without spinning), and a pause
			if (!started.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("a job did not start within 10 s");
			}
			TimeUnit.MILLISECONDS.sleep(this.latencyPauseMillis);
		}
		pgQueue.stop();
		otherNode.close();
		double[] another = millis(latencies.get(0));
		double[] own = millis(latencies.get(1));
		return new double[] { percentile(another, 50), percentile(another, 99), percentile(own, 50), percentile(own, 99) };
	}

	private static double[] millis(List<Long> nanos) {
		return nanos.stream().mapToDouble((value) -> value / 1_000_000.0).sorted().toArray();
	}

	// Warm-up drains (one per JVM), then --runs timed drains, by worker JVMs of their own on this benchmark's schema.
	private void nodeDrains(Map<String, List<Double>> figures, int runs, int count) throws Exception {
		System.out.printf(Locale.ROOT, "starting %d worker JVM(s)%n", count);
		try (WorkerNodes workerNodes = WorkerNodes.start(count, this.url, this.schema, CONCURRENCY)) {
			// untimed drains first, one per JVM: each JVM then has run about --jobs jobs before the clock starts, as
			// one JVM has after one, so that the figures differ in the node count and not in how warm each JIT is
			for (int run = 1 - count; run <= runs; run++) {
				resetQueue();
				fill(pgQueue(1, (payload, ctx) -> {
				}).jobQueue(), this.jobs);
				execute("VACUUM ANALYZE " + this.schema + ".pgqueue_job");
				java.time.Duration nodesBefore = workerNodes.cpu();
				java.util.Optional<java.time.Duration> postgresBefore = WorkerNodes.postgresCpu();
				double rate = workerNodes.drain(this.jobs);
				double nodesMicros = workerNodes.cpu().minus(nodesBefore).toNanos() / 1000.0 / this.jobs;
				java.util.Optional<java.time.Duration> postgresAfter = WorkerNodes.postgresCpu();
				long unfinished = count("SELECT count(*) FROM " + this.schema + ".pgqueue_job WHERE state <> 'completed'");
				if (unfinished != 0) {
					throw new IllegalStateException(unfinished + " jobs not completed after the drain by " + count + " JVMs");
				}
				if (run > 0) {
					record(figures, Figure.nodes(count), rate);
					if (nodesMicros > 0) {
						record(figures, Figure.nodesCpu(count, "the worker JVMs"), nodesMicros);
					}
					if (postgresBefore.isPresent() && postgresAfter.isPresent()) {
						record(figures, Figure.nodesCpu(count, "PostgreSQL"),
								postgresAfter.get().minus(postgresBefore.get()).toNanos() / 1000.0 / this.jobs);
					}
				}
			}
		}
	}

	/**
	 * The failure users of PostgreSQL queues report most: a long transaction elsewhere (a report, a
	 * stuck migration, a forgotten psql session) holds the MVCC horizon back, so vacuum can remove
	 * none of the row versions the queue leaves behind, and the claim walks ever more dead index
	 * entries. Another session holds a {@code REPEATABLE READ} snapshot while batches of {@code --jobs}
	 * jobs are enqueued and drained back to back (the finished ones retained, as within
	 * {@code retention.completed}); then the snapshot ends and the same batches go on for a minute (or
	 * as long as the snapshot was held, if shorter),
	 * vacuum free to catch up (every drain here starts with a {@code VACUUM ANALYZE}, which the held
	 * snapshot leaves unable to remove anything). One run: it takes minutes.
	 */
	private void heldHorizon(Map<String, List<Double>> figures) throws Exception {
		System.out.printf(Locale.ROOT, "holding a REPEATABLE READ snapshot for %d s (one run)%n", this.horizonSeconds);
		resetQueue();
		this.retainedNow = 1;
		List<Double> held = new ArrayList<>();
		try (Connection holder = this.dataSource.getConnection(); Statement statement = holder.createStatement()) {
			holder.setAutoCommit(false);
			holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			statement.execute("SELECT count(*) FROM " + this.schema + ".pgqueue_queue");
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.horizonSeconds);
			while (System.nanoTime() < end) {
				held.add(drain(this.jobs, CONCURRENCY));
			}
			System.out.printf(Locale.ROOT, "  %d batches while held: %s jobs/s%n", held.size(), held.stream()
				.map((rate) -> String.format(Locale.ROOT, "%,.0f", rate))
				.collect(Collectors.joining(", ")));
			record(figures, Figure.HORIZON_FIRST, held.get(0));
			record(figures, Figure.HORIZON_LAST, held.get(held.size() - 1));
			record(figures, Figure.HORIZON_DEAD, deadTuples());
			holder.rollback();
		}
		record(figures, Figure.HORIZON_AFTER, drain(this.jobs, CONCURRENCY));
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(60, this.horizonSeconds));
		while (System.nanoTime() < end) {
			drain(this.jobs, CONCURRENCY);
		}
		record(figures, Figure.HORIZON_DEAD_AFTER, deadTuples());
		this.retainedNow = 0;
	}

	private static void awaitListening(PgQueue pgQueue) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!pgQueue.isListening() && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

	private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();

	private int retainedNow;

	// the schema the pgqueue side works in now: SCHEMA, or RETAINED_SCHEMA during the retained drains
	private String schema = SCHEMA;

	/** WAL bytes per job of the last drain's fill, and of the drain itself. */
	private double[] walPerJob = new double[2];

	/**
	 * Drains with {@code --retained} finished jobs in the table, each beside a drain of the empty table, alternating
	 * run by run: the two figures see the same hour of the machine, which moves a figure more than the table's
	 * history does. The retained jobs live in a schema of their own, dropped at the end.
	 */
	private void retainedDrains(Map<String, List<Double>> figures, int runs) throws Exception {
		System.out.printf(Locale.ROOT, "retaining %,d finished jobs%n", this.retained);
		// the plain side's table, which retain() fills (created here when the retained drains run alone)
		resetPlain();
		this.schema = RETAINED_SCHEMA;
		try {
			createQueueSchema();
			retain(this.retained);
			for (int run = 1; run <= runs; run++) {
				record(figures, Figure.JDBC_DRAIN_RETAINED, plainDrainRetained(this.jobs, PLAIN_CLIENTS));
				this.schema = SCHEMA;
				this.retainedNow = 0;
				record(figures, Figure.DRAIN_BESIDE_RETAINED, drain(this.jobs, CONCURRENCY));
				this.schema = RETAINED_SCHEMA;
				this.retainedNow = this.retained;
				record(figures, Figure.DRAIN_RETAINED, drain(this.jobs, CONCURRENCY));
			}
			execute("DROP SCHEMA " + RETAINED_SCHEMA + " CASCADE");
		}
		finally {
			this.schema = SCHEMA;
			this.retainedNow = 0;
		}
	}

	private void retain(int count) throws SQLException {
		resetQueue();
		execute("INSERT INTO " + this.schema + ".pgqueue_job (kind, payload, state, attempt, max_attempts, finalized_at) "
				+ "SELECT 'noop', jsonb_build_object('n', i), 'completed', 1, 25, now() FROM generate_series(1, "
				+ count + ") AS i", "VACUUM ANALYZE " + this.schema + ".pgqueue_job");
		this.retainedNow = count;
		execute("DELETE FROM " + PLAIN + ".plain_job", "INSERT INTO " + PLAIN
				+ ".plain_job (payload, state) SELECT jsonb_build_object('n', i), 'done' FROM generate_series(1, "
				+ count + ") AS i", "VACUUM ANALYZE " + PLAIN + ".plain_job");
	}

	// The server's WAL insert position, in bytes: the difference of two is the WAL written between them
	// (by the whole server, which the benchmark has to itself).
	private long walPosition() throws SQLException {
		return count("SELECT pg_current_wal_insert_lsn() - '0/0'");
	}

	private double deadTuples() throws SQLException {
		execute("SELECT pg_stat_force_next_flush()");
		return count("SELECT n_dead_tup FROM pg_stat_user_tables WHERE schemaname = '" + this.schema
				+ "' AND relname = 'pgqueue_job'");
	}

	// ---- helpers ----

	private void execute(String... statements) throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	private long count(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	static void record(Map<String, List<Double>> figures, String name, double value) {
		figures.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		System.out.printf(Locale.ROOT, "  %-72s %,12.1f%n", name, value);
	}

	private static double perSecond(int count, long startNanos) {
		return count / (Duration.ofNanos(System.nanoTime() - startNanos).toNanos() / 1e9);
	}

	static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return percentile(sorted, 50);
	}

	static double percentile(double[] sorted, int percentile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		if (args.length % 2 != 0 || !KNOWN_OPTIONS.containsAll(options.keySet())) {
			throw new IllegalArgumentException("unknown option in " + Arrays.toString(args) + "\n" + USAGE);
		}
		return options;
	}

}
