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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.QueueSettings;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Measures, in one run on one database, pgqueue beside what plain SQL on a minimal table achieves:
 * enqueue one at a time and in batches, drain of no-op jobs with concurrency 16 on one node,
 * enqueue-to-start latency at low load, drain with a million finished jobs retained, and the dead
 * tuples left in the job table. Each figure is the median of {@code --runs} runs, after one untimed
 * pass of everything for a warm JIT.
 * <p>
 * Usage: {@code java -jar samples/benchmark/target/pgqueue-benchmark.jar [--url jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
 * [--runs 3] [--jobs 20000] [--retained 1000000]}. Loopback only: it refuses any other host.
 */
public final class Benchmark {

	private static final String SCHEMA = "pgqueue_bench";

	/** The plain-SQL side's own schema, so that resetting one side never touches the other. */
	private static final String PLAIN = "pgqueue_bench_plain";

	/** The plain side's single-row insert. */
	private static final String PLAIN_INSERT = "INSERT INTO " + PLAIN + ".plain_job (payload) VALUES (CAST(? AS jsonb))";

	/** Untimed statements run first by both sides of a one-at-a-time comparison, for a warm JIT and pool. */
	private static final int WARM_UP = 1000;

	private final HikariDataSource dataSource;

	private final int jobs;

	private final int retained;

	private Benchmark(String url, int jobs, int retained) {
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl(url);
		this.dataSource.setMaximumPoolSize(40);
		this.jobs = jobs;
		this.retained = retained;
	}

	public static void main(String[] args) throws Exception {
		// Liquibase logs through java.util.logging: route it to logback, which keeps only warnings
		SLF4JBridgeHandler.removeHandlersForRootLogger();
		SLF4JBridgeHandler.install();
		Map<String, String> options = options(args);
		String url = options.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
		if (!url.matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?/.*")) {
			throw new IllegalArgumentException("the benchmark runs against loopback only, not " + url);
		}
		int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
		Benchmark benchmark = new Benchmark(url, Integer.parseInt(options.getOrDefault("jobs", "20000")),
				Integer.parseInt(options.getOrDefault("retained", "1000000")));
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
		if (Boolean.getBoolean("pgqueue.benchmark.drain-only")) {
			for (int run = 1; run <= runs; run++) {
				record(figures, "plain: claim 100 + complete, 8 clients (rows/s)", plainDrain(this.jobs, 8));
				record(figures, "pgqueue: drain no-op jobs, concurrency 16, 1 node (jobs/s)", drain(this.jobs, 16));
			}
			return;
		}
		if (Boolean.getBoolean("pgqueue.benchmark.enqueue-only")) {
			for (int run = 1; run <= runs; run++) {
				record(figures, "plain: single-row INSERT, 1 client (rows/s)", plainSingleInserts(5000));
				record(figures, "pgqueue: enqueue one at a time, 1 client (jobs/s)", enqueueSingly(5000));
			}
			return;
		}
		// one untimed pass of every measurement first: the JIT compiles pgqueue's hot paths (and the
		// driver's) during the first seconds, which would otherwise be measured as pgqueue's cost
		System.out.println("warming up (untimed)");
		plainSingleInserts(WARM_UP);
		enqueueSingly(WARM_UP);
		plainBatchInserts(this.jobs);
		enqueueInBatches(this.jobs);
		plainDrain(this.jobs, 8);
		drain(this.jobs, 16);
		latency(50);
		for (int run = 1; run <= runs; run++) {
			System.out.printf(Locale.ROOT, "run %d/%d%n", run, runs);
			record(figures, "plain: single-row INSERT, 1 client (rows/s)", plainSingleInserts(5000));
			record(figures, "pgqueue: enqueue one at a time, 1 client (jobs/s)", enqueueSingly(5000));
			record(figures, "plain: INSERT of 1,000 rows per statement (rows/s)", plainBatchInserts(this.jobs));
			record(figures, "pgqueue: enqueueAll in batches of 1,000 (jobs/s)", enqueueInBatches(this.jobs));
			record(figures, "plain: claim 100 + complete, 8 clients (rows/s)", plainDrain(this.jobs, 8));
			record(figures, "pgqueue: drain no-op jobs, concurrency 16, 1 node (jobs/s)", drain(this.jobs, 16));
			double[] plainLatency = plainInsertLatency(200);
			record(figures, "plain: single-row INSERT round trip at low load p50 (ms)", plainLatency[0]);
			record(figures, "plain: single-row INSERT round trip at low load p99 (ms)", plainLatency[1]);
			double[] latency = latency(200);
			record(figures, "pgqueue: enqueue->start latency p50, idle worker (ms)", latency[0]);
			record(figures, "pgqueue: enqueue->start latency p99, idle worker (ms)", latency[1]);
		}
		System.out.printf(Locale.ROOT, "retaining %,d finished jobs%n", this.retained);
		retain(this.retained);
		for (int run = 1; run <= runs; run++) {
			record(figures, "plain: claim 100 + complete, 8 clients, 1M rows retained (rows/s)",
					plainDrainRetained(this.jobs, 8));
			record(figures, "pgqueue: drain, concurrency 16, 1M finished jobs retained (jobs/s)", drain(this.jobs, 16));
		}
		record(figures, "pgqueue: dead tuples in pgqueue_job after the run", deadTuples());
		System.out.println();
		System.out.printf(Locale.ROOT, "| figure | median of %d | runs |%n|---|---|---|%n", runs);
		figures.forEach((name, values) -> System.out.printf(Locale.ROOT, "| %s | %,.1f | %s |%n", name, median(values),
				values.stream().map((value) -> String.format(Locale.ROOT, "%,.1f", value)).toList()));
	}

	// ---- plain SQL: the database's own limit on this machine ----

	private void resetPlain() throws SQLException {
		execute("DROP TABLE IF EXISTS " + PLAIN + ".plain_job",
				"CREATE SCHEMA IF NOT EXISTS " + PLAIN,
				"CREATE TABLE " + PLAIN + ".plain_job (id bigserial PRIMARY KEY, state text NOT NULL DEFAULT 'available', "
						+ "payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
				"CREATE INDEX ON " + PLAIN + ".plain_job (id) WHERE state = 'available'");
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
				TimeUnit.MILLISECONDS.sleep(10);
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
		return PgQueue.builder(this.dataSource)
			.settings(EngineSettings.builder()
				.schema(SCHEMA)
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
		execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		pgQueue(1, (payload, ctx) -> {
		}).migrate();
	}

	// Empties every pgqueue table: TRUNCATE gives each a new file, as empty as a new table and without
	// its dead tuples, so each measurement starts from the same place.
	private void resetQueue() throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + SCHEMA
						+ "' AND tablename NOT LIKE 'pgqueue_databasechangelog%'")) {
			while (rs.next()) {
				tables.add(SCHEMA + "." + rs.getString(1));
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
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			jobQueue.enqueue("noop", i);
		}
		return perSecond(count, start);
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
		if (this.retainedNow == 0) {
			resetQueue();
		}
		PgQueue pgQueue = pgQueue(concurrency, (payload, ctx) -> {
		});
		fill(pgQueue.jobQueue(), count);
		execute("VACUUM ANALYZE " + SCHEMA + ".pgqueue_job");
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
		pgQueue.stop();
		long unfinished = count("SELECT count(*) FROM " + SCHEMA + ".pgqueue_job WHERE state <> 'completed'");
		if (unfinished != 0) {
			throw new IllegalStateException(unfinished + " jobs not completed after the drain");
		}
		return rate;
	}

	private double[] latency(int count) throws Exception {
		resetQueue();
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		Semaphore started = new Semaphore(0);
		PgQueue pgQueue = pgQueue(4, (enqueuedAt, ctx) -> {
			latencies.add(System.nanoTime() - enqueuedAt);
			started.release();
		});
		pgQueue.start();
		awaitListening(pgQueue);
		for (int i = 0; i < count; i++) {
			pgQueue.jobQueue().enqueue("noop", System.nanoTime());
			// low load: the next job only after this one started (waiting without spinning), and a pause
			if (!started.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("a job did not start within 10 s");
			}
			TimeUnit.MILLISECONDS.sleep(10);
		}
		pgQueue.stop();
		double[] millis = latencies.stream().mapToDouble((nanos) -> nanos / 1_000_000.0).sorted().toArray();
		return new double[] { percentile(millis, 50), percentile(millis, 99) };
	}

	private static void awaitListening(PgQueue pgQueue) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!pgQueue.isListening() && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

	private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();

	private int retainedNow;

	private void retain(int count) throws SQLException {
		resetQueue();
		execute("INSERT INTO " + SCHEMA + ".pgqueue_job (kind, payload, state, attempt, max_attempts, finalized_at) "
				+ "SELECT 'noop', jsonb_build_object('n', i), 'completed', 1, 25, now() FROM generate_series(1, "
				+ count + ") AS i", "VACUUM ANALYZE " + SCHEMA + ".pgqueue_job");
		this.retainedNow = count;
		execute("DELETE FROM " + PLAIN + ".plain_job", "INSERT INTO " + PLAIN
				+ ".plain_job (payload, state) SELECT jsonb_build_object('n', i), 'done' FROM generate_series(1, "
				+ count + ") AS i", "VACUUM ANALYZE " + PLAIN + ".plain_job");
	}

	private double deadTuples() throws SQLException {
		execute("SELECT pg_stat_force_next_flush()");
		return count("SELECT n_dead_tup FROM pg_stat_user_tables WHERE schemaname = '" + SCHEMA
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

	private static void record(Map<String, List<Double>> figures, String name, double value) {
		figures.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		System.out.printf(Locale.ROOT, "  %-72s %,12.1f%n", name, value);
	}

	private static double perSecond(int count, long startNanos) {
		return count / (Duration.ofNanos(System.nanoTime() - startNanos).toNanos() / 1e9);
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return percentile(sorted, 50);
	}

	private static double percentile(double[] sorted, int percentile) {
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
		return options;
	}

}
