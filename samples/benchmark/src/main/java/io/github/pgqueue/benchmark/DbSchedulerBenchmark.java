package io.github.pgqueue.benchmark;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;

/**
 * db-scheduler (a JVM peer) measured the way {@link Benchmark} measures pgqueue, on the same database: schedule one
 * at a time, {@code scheduleBatch} in batches of 1,000, drain of no-op one-time tasks with 16 threads, and
 * schedule-to-start latency at low load. Each figure is the median of {@code --runs} runs, after an untimed pass.
 * <p>
 * Its fastest documented configuration for a queue on PostgreSQL: the lock-and-fetch polling strategy
 * ({@code SELECT … FOR UPDATE SKIP LOCKED} picks and locks in one statement), fetching up to 4 × threads and again
 * when fewer than half the threads have work. A one-time task's row is deleted when it completes. db-scheduler has
 * no LISTEN/NOTIFY: the latency figure uses {@code enableImmediateExecution()}, which runs a task scheduled by the
 * same scheduler for now without waiting for its poll (the in-process path; another node waits for the polling
 * interval, 100 ms here).
 * <p>
 * Usage: {@code java -jar pgqueue-benchmark.jar --peer db-scheduler [--url ...] [--runs 3] [--jobs 100000]
 * [--latency-jobs 200] [--latency-pause 50]}. Loopback only, in the schema {@code pgqueue_peer_dbscheduler}.
 */
final class DbSchedulerBenchmark {

	private static final String TABLE = "pgqueue_peer_dbscheduler.scheduled_tasks";

	/** db-scheduler's PostgreSQL table, as its documentation gives it, in a schema of its own. */
	private static final String CREATE_TABLE = """
			CREATE SCHEMA IF NOT EXISTS pgqueue_peer_dbscheduler;
			DROP TABLE IF EXISTS %1$s;
			CREATE TABLE %1$s (
			  task_name text NOT NULL,
			  task_instance text NOT NULL,
			  task_data bytea,
			  execution_time timestamp with time zone NOT NULL,
			  picked boolean NOT NULL,
			  picked_by text,
			  last_success timestamp with time zone,
			  last_failure timestamp with time zone,
			  consecutive_failures int,
			  last_heartbeat timestamp with time zone,
			  version bigint NOT NULL,
			  priority smallint,
			  PRIMARY KEY (task_name, task_instance)
			);
			CREATE INDEX ON %1$s (execution_time);
			CREATE INDEX ON %1$s (last_heartbeat);
			CREATE INDEX ON %1$s (priority DESC, execution_time ASC);
			""".formatted(TABLE);

	private static final int THREADS = 16;

	private final HikariDataSource dataSource;

	private final int jobs;

	private final int latencyJobs;

	private final int latencyPauseMillis;

	private final AtomicLong completed = new AtomicLong();

	private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

	private final Semaphore started = new Semaphore(0);

	private final OneTimeTask<Long> noop = Tasks.oneTime("noop", Long.class).execute((instance, ctx) -> {
	});

	private final OneTimeTask<Long> timed = Tasks.oneTime("timed", Long.class).execute((instance, ctx) -> {
		this.latencies.add(System.nanoTime() - instance.getData());
		this.started.release();
	});

	private DbSchedulerBenchmark(HikariDataSource dataSource, Map<String, String> options) {
		this.dataSource = dataSource;
		this.jobs = Integer.parseInt(options.getOrDefault("jobs", "100000"));
		this.latencyJobs = Integer.parseInt(options.getOrDefault("latency-jobs", "200"));
		this.latencyPauseMillis = Integer.parseInt(options.getOrDefault("latency-pause", "50"));
	}

	static void run(String url, Map<String, String> options) throws Exception {
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(url);
			dataSource.setMaximumPoolSize(THREADS + 4);
			new DbSchedulerBenchmark(dataSource, options).measure(Integer.parseInt(options.getOrDefault("runs", "3")));
		}
	}

	private void measure(int runs) throws Exception {
		Map<String, List<Double>> figures = new LinkedHashMap<>();
		System.out.println("warming up (untimed)");
		scheduleSingly(1000);
		scheduleInBatches(this.jobs);
		drain(this.jobs);
		latency(50);
		for (int run = 1; run <= runs; run++) {
			System.out.printf(Locale.ROOT, "run %d/%d%n", run, runs);
			Benchmark.record(figures, "db-scheduler: schedule one at a time, 1 client (jobs/s)", scheduleSingly(5000));
			Benchmark.record(figures, "db-scheduler: scheduleBatch in batches of 1,000 (jobs/s)", scheduleInBatches(this.jobs));
			Benchmark.record(figures, "db-scheduler: drain no-op jobs, 16 threads, lock-and-fetch (jobs/s)", drain(this.jobs));
			double[] latency = latency(this.latencyJobs);
			Benchmark.record(figures, "db-scheduler: schedule->start latency p50, immediate execution, same node (ms)", latency[0]);
			Benchmark.record(figures, "db-scheduler: schedule->start latency p99, immediate execution, same node (ms)", latency[1]);
		}
		Benchmark.printTable(figures, runs);
	}

	private void reset() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(CREATE_TABLE);
		}
	}

	private SchedulerClient client() {
		return SchedulerClient.Builder.create(this.dataSource, this.noop, this.timed).tableName(TABLE).build();
	}

	private Scheduler scheduler(boolean immediate) {
		var builder = Scheduler.create(this.dataSource, this.noop, this.timed)
			.tableName(TABLE)
			.threads(THREADS)
			.pollUsingLockAndFetch(0.5, 4.0)
			.pollingInterval(Duration.ofMillis(100))
			.shutdownMaxWait(Duration.ofSeconds(5))
			.addSchedulerListener(new AbstractSchedulerListener() {
				@Override
				public void onExecutionComplete(ExecutionComplete complete) {
					DbSchedulerBenchmark.this.completed.incrementAndGet();
				}
			});
		if (immediate) {
			builder.enableImmediateExecution();
		}
		return builder.build();
	}

	private double scheduleSingly(int count) throws SQLException {
		reset();
		SchedulerClient client = client();
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			client.schedule(this.noop.instance(Long.toString(i), i), Instant.now());
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	private double scheduleInBatches(int count) throws SQLException {
		reset();
		long start = System.nanoTime();
		fill(client(), count);
		return count / ((System.nanoTime() - start) / 1e9);
	}

	private void fill(SchedulerClient client, int count) {
		Instant now = Instant.now();
		for (int from = 0; from < count; from += 1000) {
			List<TaskInstance<?>> batch = new ArrayList<>(IntStream.range(from, Math.min(count, from + 1000))
				.mapToObj((i) -> this.noop.instance(Integer.toString(i), (long) i))
				.toList());
			client.scheduleBatch(batch, now);
		}
	}

	private double drain(int count) throws Exception {
		reset();
		fill(client(), count);
		execute("VACUUM ANALYZE " + TABLE);
		this.completed.set(0);
		Scheduler scheduler = scheduler(false);
		long start = System.nanoTime();
		scheduler.start();
		long deadline = start + TimeUnit.MINUTES.toNanos(10);
		while (this.completed.get() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("db-scheduler's drain did not finish");
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
		// done when every completion is written: a completed one-time task's row is deleted
		while (rows() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("db-scheduler's drain did not finish");
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
		double rate = count / ((System.nanoTime() - start) / 1e9);
		scheduler.stop();
		return rate;
	}

	// from just before the schedule call to the task's first line; the next task once this one started, after a pause
	private double[] latency(int count) throws Exception {
		reset();
		this.latencies.clear();
		this.started.drainPermits();
		Scheduler scheduler = scheduler(true);
		scheduler.start();
		for (int i = 0; i < count; i++) {
			long before = System.nanoTime();
			scheduler.schedule(this.timed.instance(Integer.toString(i), before), Instant.now());
			if (!this.started.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("a task did not start within 10 s");
			}
			TimeUnit.MILLISECONDS.sleep(this.latencyPauseMillis);
		}
		scheduler.stop();
		double[] millis = this.latencies.stream().mapToDouble((nanos) -> nanos / 1_000_000.0).sorted().toArray();
		return new double[] { Benchmark.percentile(millis, 50), Benchmark.percentile(millis, 99) };
	}

	private long rows() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
