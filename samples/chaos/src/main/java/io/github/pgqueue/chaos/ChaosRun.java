package io.github.pgqueue.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.EngineSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The chaos run. Three worker JVMs ({@link ChaosWorkerApplication}) process a stream of fast, slow,
 * flaky, transactional ({@code charge}), hanging ({@code hang}) and JVM-killing ({@code halt}) jobs
 * while a chaos loop, on loopback only, kills a random worker with {@code kill -9} and restarts it,
 * sends SIGTERM to one, terminates random worker connections with {@code pg_terminate_backend},
 * takes the database away from the workers for {@value #OUTAGE_MILLIS} ms through the
 * {@link ChaosProxy} they connect through (every connection reset, new ones refused: an outage
 * shorter than the lease), and restarts PostgreSQL once mid-run. The PostgreSQL it restarts is its
 * own ({@link OwnPostgres}: a cluster in a temporary folder on a free port); the machine's server is
 * never stopped. Then it lets the workers drain and runs its {@linkplain Check checks}.
 * <p>
 * Usage: {@code java -cp "$(cat samples/chaos/target/classpath.txt):samples/chaos/target/classes"
 * io.github.pgqueue.chaos.ChaosRun [--duration 10m] [--rate 40] [--restart-postgres true]
 * [--url jdbc:postgresql://127.0.0.1:5432/mydb]}: without {@code --url}, the run starts its own
 * server; with one (loopback only), it works there and cannot restart it.
 */
public final class ChaosRun {

	static final String APPLICATION_NAME = "pgqueue-chaos";

	/** How long an outage through the proxy lasts: well under the lease. */
	static final long OUTAGE_MILLIS = 1500;

	static final Duration LEASE = Duration.ofSeconds(5);

	static final Duration HEARTBEAT = Duration.ofSeconds(1);

	static final Duration POLL = Duration.ofMillis(250);

	static final Duration REAPER = Duration.ofSeconds(1);

	/**
	 * The first retry's backoff, longer than lease + reaper + poll: a job that kills its JVM and is
	 * then retried at once (its run_at kept) shows in the gaps between its attempts.
	 */
	static final Duration INITIAL_BACKOFF = Duration.ofSeconds(10);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

	static final double JITTER = 0.2;

	static final long HALT_EVERY_SECONDS = 20;

	static final long HANG_EVERY_SECONDS = 6;

	private final Options options;

	private final List<WorkerProcess> workers = new ArrayList<>();

	private final List<String> events = Collections.synchronizedList(new ArrayList<>());

	private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());

	// when a worker JVM was found exited on its own (halted by a job, or a failed start), by name
	private final List<Kill> exits = Collections.synchronizedList(new ArrayList<>());

	// the workers UP when PostgreSQL was stopped: those must report DOWN and come back UP
	private final List<String> upAtRestart = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, List<String>> healthSeen = new ConcurrentHashMap<>();

	private final AtomicLong enqueued = new AtomicLong();

	private final AtomicLong sigterms = new AtomicLong();

	private final AtomicLong cuts = new AtomicLong();

	private final AtomicLong outages = new AtomicLong();

	private final Deque<Fault> faults = new ArrayDeque<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final String schema;

	private final Path logDirectory;

	private @Nullable OwnPostgres server;

	private @Nullable ChaosProxy proxy;

	private @Nullable HikariDataSource dataSource;

	private @Nullable JdbcClient jdbc;

	private String url = "";

	private String workerUrl = "";

	private boolean restarted;

	// the database restart, by the database clock: a kill whose wait overlaps it waits for the database
	private @Nullable Instant restartFrom;

	private @Nullable Instant restartUntil;

	private final AtomicBoolean orchestrating = new AtomicBoolean(true);

	private @Nullable Thread orchestrator;

	public ChaosRun(Options options) {
		if (options.url() != null && !options.url().matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost)(:\\d+)?/.*")) {
			throw new IllegalArgumentException("the chaos run works on loopback only, not " + options.url());
		}
		if (options.url() != null && options.restartPostgres()) {
			throw new IllegalArgumentException("the chaos run restarts only a PostgreSQL of its own: "
					+ "leave out --url, or pass --restart-postgres false");
		}
		this.options = options;
		this.schema = "chaos_" + Long.toString(System.currentTimeMillis(), 36);
		this.logDirectory = Path.of(options.logDirectory());
	}

	public static void main(String[] args) throws Exception {
		Report report = new ChaosRun(Options.parse(args)).run();
		System.out.println(report.describe());
		System.exit(report.violations().isEmpty() ? 0 : 1);
	}

	/** Runs the whole thing and returns what it found. */
	public Report run() throws Exception {
		Files.createDirectories(this.logDirectory);
		try (var logs = Files.newDirectoryStream(this.logDirectory, "worker-*.{log,entries}")) {
			// each run's worker logs and handler entries are its own
			for (Path log : logs) {
				Files.delete(log);
			}
		}
		try {
			openDatabase();
			return runChaos();
		}
		finally {
			this.orchestrating.set(false);
			if (this.orchestrator != null) {
				this.orchestrator.join(TimeUnit.SECONDS.toMillis(30));
			}
			this.workers.forEach(WorkerProcess::stop);
			if (this.proxy != null) {
				this.proxy.close();
			}
			if (this.dataSource != null) {
				this.dataSource.close();
			}
			if (this.server != null) {
				this.server.close();
				event("own PostgreSQL stopped and deleted (its log: " + this.logDirectory.resolve("postgres.log") + ")");
			}
		}
	}

	private void openDatabase() throws Exception {
		if (this.options.url() == null) {
			this.server = OwnPostgres.start(this.logDirectory.resolve("postgres.log"));
			this.url = this.server.jdbcUrl();
			event("own PostgreSQL: " + this.server.describe());
		}
		else {
			this.url = this.options.url();
		}
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(this.url);
		dataSource.setUsername("postgres");
		dataSource.setMaximumPoolSize(6);
		dataSource.setConnectionTimeout(2000);
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		URI uri = URI.create(this.url.substring("jdbc:".length()));
		ChaosProxy proxy = new ChaosProxy(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432);
		this.proxy = proxy;
		this.workerUrl = "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getRawPath()
				+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	private Report runChaos() throws Exception {
		setUp();
		PgQueue producerSide = PgQueue.builder(dataSource())
			.settings(EngineSettings.builder().schema(this.schema).build())
			.build();
		JobQueue jobQueue = producerSide.jobQueue();
		for (int i = 0; i < 3; i++) {
			WorkerProcess worker = new WorkerProcess("worker-" + i, freePort());
			this.workers.add(worker);
			worker.start();
		}
		awaitHealthy(Duration.ofSeconds(120));
		event("workers up");
		this.orchestrator = daemon("orchestrator", this::orchestrate);
		Thread producer = daemon("producer", () -> produce(jobQueue));
		Instant end = Instant.now().plus(this.options.duration());
		Instant restartAt = Instant.now().plus(this.options.duration().multipliedBy(2).dividedBy(5));
		this.restarted = !this.options.restartPostgres();
		try {
			while (Instant.now().isBefore(end)) {
				if (!this.restarted && Instant.now().isAfter(restartAt)) {
					restartDatabase();
					this.restarted = true;
				}
				else {
					try {
						chaosStep();
					}
					catch (RuntimeException ex) {
						// one fault that could not be injected (the run's own pool still reconnecting) is no reason
						// to abandon the run
						event("chaos step failed: " + ex);
					}
				}
				pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(2000, 4000)));
			}
		}
		finally {
			this.running.set(false);
			producer.join(TimeUnit.SECONDS.toMillis(30));
		}
		if (!this.restarted) {
			// the chaos steps took the time (workers slow to come back): the restart is still due
			restartDatabase();
			this.restarted = true;
		}
		event("chaos over: draining");
		// a long soak may end with a backlog: it drains for half its duration, three minutes at the least
		Duration drainTimeout = Collections.max(List.of(Duration.ofMinutes(3), this.options.duration().dividedBy(2)));
		boolean drained = awaitDrained(drainTimeout);
		Report report = check(drained);
		if (report.violations().isEmpty() && this.server == null) {
			// a failed run keeps its schema for a post-mortem; the own server goes with its folder
			jdbc().sql("DROP SCHEMA " + this.schema + " CASCADE").update();
		}
		return report;
	}

	private void setUp() {
		PgQueue.builder(dataSource()).settings(EngineSettings.builder().schema(this.schema).build()).build().migrate();
		// each attempt's start (by the database clock) and the effects, written by the workers' recorders
		// outside any job's transaction; the faults the handlers injected; the charge handler's own rows
		jdbc().sql("CREATE TABLE " + this.schema + ".chaos_execution (job_id bigint NOT NULL, attempt int NOT NULL,"
				+ " kind text NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())").update();
		jdbc().sql("CREATE INDEX ON " + this.schema + ".chaos_execution (job_id)").update();
		jdbc().sql("CREATE TABLE " + this.schema + ".chaos_effect (job_id bigint NOT NULL, step text NOT NULL,"
				+ " worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())").update();
		jdbc().sql("CREATE TABLE " + this.schema + ".chaos_fault (job_id bigint NOT NULL, attempt int NOT NULL,"
				+ " fault text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())").update();
		jdbc().sql("CREATE TABLE " + this.schema + ".chaos_order (job_id bigint NOT NULL, attempt int NOT NULL)").update();
		event("schema " + this.schema + " ready");
	}

	// ---- the producer: each job enqueued exactly once, even across the database restart ----

	private void produce(JobQueue jobQueue) {
		long sequence = 0;
		int rate = Math.max(1, this.options.rate());
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
		while (this.running.get()) {
			long started = System.nanoTime();
			String kind = pickKind(sequence, rate);
			String key = "chaos-" + sequence;
			// a hang job's payload is its number among hang jobs: its parity picks how it hangs
			long payload = kind.equals("hang") ? sequence / (HANG_EVERY_SECONDS * rate) : sequence;
			EnqueueOptions.Builder options = EnqueueOptions.builder().idempotencyKey(key);
			if (kind.equals("once")) {
				// one attempt: a job that loses it without its handler having run shows as dead
				options.maxAttempts(1);
			}
			while (this.running.get() || sequence == this.enqueued.get()) {
				try {
					// the key makes a retry after an ambiguous failure (commit unknown) harmless
					jobQueue.enqueue(kind, payload, options.build());
					this.enqueued.incrementAndGet();
					break;
				}
				catch (RuntimeException ex) {
					pause(Duration.ofMillis(200));
				}
			}
			sequence++;
			long sleep = periodNanos - (System.nanoTime() - started);
			if (sleep > 0) {
				pause(Duration.ofNanos(sleep));
			}
		}
	}

	// One JVM-killing job every HALT_EVERY_SECONDS and one hanging job every HANG_EVERY_SECONDS, whatever
	// the rate (a restarted worker JVM takes a while to serve again: more halts would leave none up);
	// the rest at random.
	private static String pickKind(long sequence, int rate) {
		if (sequence % (HALT_EVERY_SECONDS * rate) == HALT_EVERY_SECONDS * rate / 2) {
			return "halt";
		}
		if (sequence % (HANG_EVERY_SECONDS * rate) == HANG_EVERY_SECONDS * rate / 3) {
			return "hang";
		}
		double r = ThreadLocalRandom.current().nextDouble();
		return (r < 0.45) ? "fast" : (r < 0.55) ? "once" : (r < 0.7) ? "slow" : (r < 0.85) ? "flaky" : "charge";
	}

	// ---- chaos ----

	private void chaosStep() throws Exception {
		if (this.faults.isEmpty()) {
			// every kind of fault in each round, in a random order: a short run still sees all of them
			List<Fault> round = new ArrayList<>(List.of(Fault.values()));
			Collections.shuffle(round);
			this.faults.addAll(round);
		}
		Fault fault = this.faults.poll();
		WorkerProcess worker = this.workers.get(ThreadLocalRandom.current().nextInt(this.workers.size()));
		if (fault.stopsAWorker() && !awaitAnotherHealthy(worker, Duration.ofSeconds(60))) {
			event("no worker but " + worker.name + " became healthy within 60s: not stopping it");
			return;
		}
		if (!fault.stopsAWorker() && !awaitAnotherHealthy(null, Duration.ofSeconds(60))) {
			event("no worker healthy within 60s: no " + fault + " (it would cut nothing)");
			return;
		}
		switch (fault) {
			case KILL -> {
				Instant at = dbNow();
				String id = worker.id();
				worker.kill9();
				this.kills.add(new Kill(at, id));
				event("kill -9 " + worker.name);
				pause(Duration.ofSeconds(1));
				worker.startIfExited();
			}
			case SIGTERM -> {
				worker.sigterm();
				this.sigterms.incrementAndGet();
				event("SIGTERM " + worker.name);
				worker.awaitExit(Duration.ofSeconds(20));
				worker.startIfExited();
			}
			case CUT_CONNECTIONS -> {
				int terminated = jdbc().sql("""
						SELECT count(pg_terminate_backend(pid)) FROM (
						    SELECT pid FROM pg_stat_activity WHERE application_name = :name ORDER BY random() LIMIT 3
						) AS victims
						""").param("name", APPLICATION_NAME).query(Integer.class).single();
				if (terminated > 0) {
					this.cuts.incrementAndGet();
				}
				event("pg_terminate_backend: " + terminated + " worker connection(s)");
			}
			case OUTAGE -> {
				int reset = proxy().outage(Duration.ofMillis(OUTAGE_MILLIS));
				if (reset > 0) {
					this.outages.incrementAndGet();
				}
				event("outage of " + OUTAGE_MILLIS + " ms through the proxy: " + reset + " worker connection(s) reset");
			}
		}
	}

	// Crashes the run's own PostgreSQL (an immediate stop: no checkpoint, the starts that committed
	// without waiting for the disk may be gone), leaves it down for a few seconds and starts it again
	// (it recovers from its WAL), with every worker healthy before: each must report DOWN while the
	// database is away and UP again once it is back, on its own.
	private void restartDatabase() throws Exception {
		OwnPostgres own = this.server;
		if (own == null) {
			throw new IllegalStateException("no server of the run's own to restart");
		}
		if (!eventually(Duration.ofSeconds(120), Duration.ofMillis(500), () -> this.workers.stream().allMatch(WorkerProcess::isUp))) {
			event("not every worker healthy within 120 s: restarting PostgreSQL all the same");
		}
		this.workers.stream().filter(WorkerProcess::isUp).forEach((worker) -> this.upAtRestart.add(worker.name));
		event("crashing PostgreSQL (the run's own, an immediate stop: starts committed without waiting for the"
				+ " disk may be lost); UP: " + this.upAtRestart);
		this.restartFrom = dbNow();
		own.crash();
		Instant downUntil = Instant.now().plusSeconds(6);
		while (Instant.now().isBefore(downUntil)) {
			for (WorkerProcess worker : this.workers) {
				if ("DOWN".equals(worker.health())) {
					healthSeen(worker, "DOWN");
				}
			}
			pause(Duration.ofMillis(200));
		}
		own.restart();
		this.restartUntil = dbNow();
		event("PostgreSQL started again");
		Instant deadline = Instant.now().plusSeconds(60);
		List<WorkerProcess> pending = new ArrayList<>(this.workers);
		while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
			pending.removeIf((worker) -> {
				if (worker.isUp()) {
					healthSeen(worker, "UP");
					return true;
				}
				return false;
			});
			pause(Duration.ofMillis(300));
		}
		event("health after the restart: " + this.healthSeen);
	}

	// As an orchestrator would, every second until the run ends: a worker that exited on its own (a
	// cut connection can fail its start-up migration, and the JVM then exits; a halt job kills its JVM)
	// is started again.
	private void orchestrate() {
		while (this.orchestrating.get()) {
			for (WorkerProcess worker : this.workers) {
				try {
					String exit = worker.exitValue();
					if (worker.takeExitOnItsOwn()) {
						this.exits.add(new Kill(Instant.now(), worker.name));
					}
					if (worker.startIfExited()) {
						event(worker.name + " had exited (" + exit + "): started again");
					}
				}
				catch (IOException ex) {
					event(worker.name + " could not be started: " + ex);
				}
			}
			pause(Duration.ofSeconds(1));
		}
	}

	private void healthSeen(WorkerProcess worker, String status) {
		this.healthSeen.computeIfAbsent(worker.name, (name) -> Collections.synchronizedList(new ArrayList<>())).add(status);
	}

	// ---- draining and checking ----

	// Drains with the orchestrator still at work: a JVM a halt job killed is started again.
	private boolean awaitDrained(Duration timeout) {
		return eventually(timeout, Duration.ofSeconds(1), () -> {
			try {
				return jdbc().sql("SELECT count(*) FROM " + this.schema
						+ ".pgqueue_job WHERE state IN ('available', 'running')").query(Long.class).single() == 0;
			}
			catch (RuntimeException ex) {
				// the database may still be coming back
				return false;
			}
		});
	}

	private long count(String sql) {
		return jdbc().sql(sql.replace("%s", this.schema)).query(Long.class).single();
	}

	private Report check(boolean drained) {
		String job = this.schema + ".pgqueue_job";
		Map<String, Long> states = new LinkedHashMap<>();
		jdbc().sql("SELECT state, count(*) FROM " + job + " GROUP BY state ORDER BY state")
			.query((rs, row) -> states.put(rs.getString(1), rs.getLong(2)))
			.list();
		long total = states.values().stream().mapToLong(Long::longValue).sum();
		long lost = this.enqueued.get() - count("SELECT count(*) FROM %s.pgqueue_job WHERE idempotency_key LIKE 'chaos-%'");
		List<String> deadReasons = jdbc().sql("SELECT id || ' (' || kind || ', attempt ' || attempt || '): ' || "
				+ "coalesce(errors -> -1 ->> 'message', '?') FROM " + job + " WHERE state = 'dead' ORDER BY id")
			.query(String.class)
			.list();
		long duplicateExecutions = count("SELECT count(*) - count(DISTINCT job_id) FROM %s.chaos_execution");
		long effectsTwice = count("SELECT count(*) FROM (SELECT job_id FROM %s.chaos_effect GROUP BY job_id, step"
				+ " HAVING count(*) > 1) AS twice");
		Map<String, Long> effectsTwiceByKind = new LinkedHashMap<>();
		jdbc().sql("SELECT j.kind, count(*) FROM (SELECT job_id FROM " + this.schema + ".chaos_effect GROUP BY job_id, step"
				+ " HAVING count(*) > 1) AS twice JOIN " + job + " AS j ON j.id = twice.job_id GROUP BY j.kind ORDER BY j.kind")
			.query((rs, row) -> effectsTwiceByKind.put(rs.getString(1), rs.getLong(2)))
			.list();
		long inDoubt = count("SELECT count(*) FROM %s.pgqueue_side_effect AS s JOIN %s.pgqueue_job AS j ON j.id = s.job_id"
				+ " WHERE s.state = 'started' AND j.state <> 'running'");
		long completedWithoutEffect = count("SELECT count(*) FROM %s.pgqueue_job AS j WHERE j.state = 'completed'"
				+ " AND NOT EXISTS (SELECT 1 FROM %s.chaos_effect AS e WHERE e.job_id = j.id)");
		// A dead job with no start on record: either its attempt was counted though no handler ran it
		// (the engine's fault), or its JVM died between the start's commit and the handler's own first
		// statement (the record, a round trip): no one can tell that from a kill a moment later, while the
		// handler ran, so it is allowed, shown apart, and only for a worker the chaos killed just then.
		List<DeadUnrun> deadUnrun = jdbc().sql("""
				SELECT j.id, j.kind, j.attempt, j.attempted_at, coalesce(j.errors -> -1 ->> 'message', '?')
				FROM %1$s.pgqueue_job AS j
				WHERE j.state = 'dead' AND NOT EXISTS (SELECT 1 FROM %1$s.chaos_execution AS e WHERE e.job_id = j.id)
				ORDER BY j.id
				""".formatted(this.schema))
			.query((rs, row) -> {
				OffsetDateTime attemptedAt = rs.getObject(4, OffsetDateTime.class);
				return new DeadUnrun(rs.getLong(1), rs.getString(2), rs.getInt(3),
						(attemptedAt != null) ? attemptedAt.toInstant() : null, rs.getString(5));
			})
			.list();
		// a handler's entry is appended to its worker's file before its record is written: one that the
		// database lost (a connection cut, the crash) still shows there that the handler ran
		Set<Long> entered = enteredHandlers();
		List<DeadUnrun> recordLost = deadUnrun.stream().filter((dead) -> entered.contains(dead.id())).toList();
		if (!recordLost.isEmpty()) {
			event("dead, their handler's entry on file but its record lost: " + recordLost);
		}
		List<DeadUnrun> notEntered = deadUnrun.stream().filter((dead) -> !entered.contains(dead.id())).toList();
		List<DeadUnrun> killedInFirstStatement = notEntered.stream().filter(this::killedInFirstStatement).toList();
		List<DeadUnrun> neverRun = notEntered.stream().filter((dead) -> !killedInFirstStatement.contains(dead)).toList();
		long deadNeverRun = neverRun.size();
		int jvmDeaths = this.kills.size() + this.exits.size();
		Map<String, Long> injected = new LinkedHashMap<>();
		jdbc().sql("SELECT fault, count(*) FROM " + this.schema + ".chaos_fault GROUP BY fault ORDER BY fault")
			.query((rs, row) -> injected.put(rs.getString(1), rs.getLong(2)))
			.list();
		long hangJobs = count("SELECT count(*) FROM %s.pgqueue_job WHERE kind = 'hang'");
		long hangUnfinished = count("SELECT count(*) FROM %s.pgqueue_job WHERE kind = 'hang'"
				+ " AND state NOT IN ('completed', 'dead')");
		// a hanging attempt whose worker was killed (its error says the lease expired) or stopped (released:
		// more executions than attempts counted) ended before its timeout could: not a hung handler
		long hungWithoutTimeout = count("SELECT count(*) FROM %s.pgqueue_job AS j WHERE j.kind = 'hang' AND EXISTS ("
				+ "SELECT 1 FROM %s.chaos_fault AS f WHERE f.job_id = j.id AND f.fault LIKE 'hang%') AND NOT EXISTS ("
				+ "SELECT 1 FROM jsonb_array_elements(j.errors) AS e WHERE e ->> 'message' ILIKE '%timed out%'"
				+ " OR e ->> 'message' ILIKE '%lease expired%')"
				+ " AND (SELECT count(*) FROM %s.chaos_execution AS x WHERE x.job_id = j.id) <= j.attempt");
		List<Duration> haltGaps = jdbc().sql("""
				SELECT extract(epoch FROM gap) FROM (
				    SELECT at - lag(at) OVER (PARTITION BY job_id ORDER BY at) AS gap
				    FROM %s.chaos_execution WHERE kind = 'halt'
				) AS gaps WHERE gap IS NOT NULL ORDER BY gap
				""".formatted(this.schema))
			.query((rs, row) -> Duration.ofNanos(Math.round(rs.getDouble(1) * 1e9)))
			.list();
		long haltDead = count("SELECT count(*) FROM %s.pgqueue_job WHERE kind = 'halt' AND state = 'dead'");
		Duration firstBackoffMax = Duration.ofMillis(Math.round(INITIAL_BACKOFF.toMillis() * (1 + JITTER)));
		Duration firstBackoffMin = Duration.ofMillis(Math.round(INITIAL_BACKOFF.toMillis() * (1 - JITTER)));
		// a job whose worker died while its handler ran counts the attempt and backs off (issue 12, 3)
		Duration bound = LEASE.plus(REAPER).plus(POLL).plusSeconds(3).plus(firstBackoffMax);
		KillWaits killWaits = longestWaitAfterKill(bound);
		Duration longestWait = killWaits.longest();
		Duration rescueBound = LEASE.plus(REAPER).plus(POLL).plusSeconds(3);
		Duration longestRescue = longestRescueAfterKill(rescueBound);

		List<Check> checks = new ArrayList<>();
		checks.add(Check.of("drained", drained, "the workers did not drain the queue in the time given"));
		checks.add(Check.of("none running", states.getOrDefault("running", 0L) == 0,
				states.get("running") + " job(s) still running"));
		checks.add(Check.of("none lost", lost == 0, lost + " job(s) lost"));
		checks.add(Check.of("no effect twice", effectsTwice == 0,
				effectsTwice + " runOnce effect(s) ran more than once, by kind: " + effectsTwiceByKind));
		checks.add(Check.of("completed with effect", completedWithoutEffect == 0,
				completedWithoutEffect + " completed job(s) without their effect"));
		checks.add(Check.of("every job accounted", total == this.enqueued.get(),
				"the table holds " + total + " jobs, " + this.enqueued.get() + " were enqueued"));
		checks.add(Check.of("no job dead unrun", deadNeverRun == 0 && killedInFirstStatement.size() <= jvmDeaths,
				deadNeverRun + " job(s) dead whose handler never ran " + neverRun + ", and " + killedInFirstStatement.size()
						+ " whose JVM died in their handler's first statement (at most one per JVM death, " + jvmDeaths + ")"));
		if (!killedInFirstStatement.isEmpty()) {
			event("dead, their JVM killed between the start's commit and the handler's first statement: "
					+ killedInFirstStatement);
		}
		checks.add(Check.of("every fault present", faultsMissing(injected).isEmpty(),
				"too little chaos to prove anything, missing: " + faultsMissing(injected)));
		// a long run measures some kills alone (a short one may see every kill beside a halted JVM)
		boolean waitsMeasured = killWaits.measured() > 0 || this.kills.size() < 10;
		checks.add(Check.of("killed worker's jobs resumed in time", longestWait.compareTo(bound) <= 0 && waitsMeasured,
				waitsMeasured ? "a job waited " + longestWait + " after its worker died, over lease + reaper + poll"
						+ " + first backoff + 3 s (" + bound + ")"
						: "no wait measured: each of the " + this.kills.size() + " kills overlapped the restart or"
								+ " another worker's exit"));
		checks.add(Check.of("killed worker's leases rescued in time", longestRescue.compareTo(rescueBound) <= 0,
				"a lease of a killed worker was rescued " + longestRescue + " after the kill, over lease + reaper + poll"
						+ " + 3 s (" + rescueBound + ")"));
		event("longest lease rescue after a kill -9: " + longestRescue + " (bound " + rescueBound + ")");
		if (this.options.restartPostgres()) {
			List<String> notBack = new ArrayList<>();
			this.workers.stream().filter((worker) -> this.upAtRestart.contains(worker.name)).forEach((worker) -> {
				List<String> seen = this.healthSeen.getOrDefault(worker.name, List.of());
				int down = seen.indexOf("DOWN");
				if (down < 0 || !seen.subList(down, seen.size()).contains("UP")) {
					notBack.add(worker.name + " saw " + seen);
				}
			});
			checks.add(Check.of("health DOWN and back UP around the restart", notBack.isEmpty(),
					"health did not go DOWN and back UP around the database restart: " + notBack));
		}
		checks.add(Check.of("hung handler ends at its timeout (issue 12, 5)", hangJobs > 0 && hangUnfinished == 0
				&& hungWithoutTimeout == 0, hangJobs + " hang job(s), " + hangUnfinished + " not completed or dead, "
				+ hungWithoutTimeout + " hung past their 2 s timeout with no error saying it timed out"));
		Duration minGap = haltGaps.isEmpty() ? Duration.ZERO : haltGaps.get(0);
		checks.add(Check.of("JVM-killing job backs off (issue 12, 3)", !haltGaps.isEmpty() && minGap.compareTo(firstBackoffMin) >= 0
				&& haltDead == 0, "the attempt after a JVM-killing one started " + minGap + " later at the least ("
				+ haltGaps.size() + " gap(s)), under the first retry's backoff (" + firstBackoffMin + " at the least); "
				+ haltDead + " halt job(s) dead"));
		return new Report(this.enqueued.get(), states, deadReasons, lost, duplicateExecutions, effectsTwice, inDoubt,
				deadNeverRun, injected, haltGaps, longestWait, bound, List.copyOf(this.events), checks);
	}

	// The job's last error is its lease lost on a worker that the chaos killed with kill -9, or whose
	// JVM exited (a halt job), and its attempt started (by the database clock) just before that death:
	// within a second of the kill (read from the database just before it), or within 3 s before the
	// exit was noticed (once a second). A job whose attempt was counted while it waited, claimed ahead,
	// started nothing and counted long before: it still fails the check.
	private boolean killedInFirstStatement(DeadUnrun dead) {
		String prefix = "lease expired: worker ";
		Instant attemptedAt = dead.attemptedAt();
		if (attemptedAt == null || !dead.lastError().startsWith(prefix)) {
			return false;
		}
		String worker = dead.lastError().substring(prefix.length()).split(" ", 2)[0];
		return List.copyOf(this.kills).stream().anyMatch((kill) -> kill.workerId().equals(worker)
				&& attemptedAt.isAfter(kill.at().minusSeconds(1)) && attemptedAt.isBefore(kill.at().plusMillis(500)))
				|| List.copyOf(this.exits).stream().anyMatch((exit) -> worker.startsWith(exit.workerId() + "-")
						&& attemptedAt.isAfter(exit.at().minusSeconds(3)) && attemptedAt.isBefore(exit.at()));
	}

	private Path entries(String worker) {
		return this.logDirectory.resolve(worker + ".entries").toAbsolutePath();
	}

	// The jobs whose handler some worker entered, from the workers' entry files.
	private Set<Long> enteredHandlers() {
		Set<Long> entered = new HashSet<>();
		for (WorkerProcess worker : this.workers) {
			Path file = entries(worker.name);
			if (Files.exists(file)) {
				for (String line : readLines(file)) {
					// the last line of a JVM killed while it appended it may be cut short
					String[] fields = line.split(" ");
					if (fields.length == 4) {
						entered.add(Long.parseLong(fields[0]));
					}
				}
			}
		}
		return entered;
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not read " + file, ex);
		}
	}

	private List<String> faultsMissing(Map<String, Long> injected) {
		List<String> missing = new ArrayList<>();
		if (this.kills.isEmpty()) {
			missing.add("kill -9");
		}
		if (this.sigterms.get() == 0) {
			missing.add("SIGTERM");
		}
		if (this.cuts.get() == 0) {
			missing.add("pg_terminate_backend of a worker connection");
		}
		if (this.outages.get() == 0) {
			missing.add("outage through the proxy that reset a worker connection");
		}
		if (this.options.restartPostgres() && (this.healthSeen.isEmpty() || this.upAtRestart.isEmpty())) {
			missing.add("PostgreSQL restart");
		}
		for (String fault : List.of("charge-then-throw", "charge-then-hold-transaction", "hang", "hang-ignoring-interrupts",
				"halt")) {
			if (injected.getOrDefault(fault, 0L) == 0) {
				missing.add(fault);
			}
		}
		return missing;
	}

	// For each kill -9: the jobs the killed worker had started and not finished, and how long until
	// another attempt started, all by the database clock. (An attempt that failed on the killed worker
	// just before the kill also shows, waiting its backoff: the bound allows for the first one.)
	private KillWaits longestWaitAfterKill(Duration bound) {
		Duration longest = Duration.ZERO;
		Duration longestUnchecked = Duration.ZERO;
		int measured = 0;
		for (Kill victim : List.copyOf(this.kills)) {
			Instant kill = victim.at();
			if (overlapsRestart(victim, bound)) {
				event("the wait after the kill -9 at " + kill + " overlaps the database restart: not measured");
				continue;
			}
			// the bound assumes the other workers are there to take the jobs at once: a JVM that exited on
			// its own meanwhile (a halt job) leaves fewer, and a backlog then delays the next attempt; that
			// wait is shown, not checked
			if (othersExited(victim, bound) > 0) {
				Duration wait = longestWaitAfter(victim);
				longestUnchecked = (wait.compareTo(longestUnchecked) > 0) ? wait : longestUnchecked;
				continue;
			}
			measured++;
			Duration wait = longestWaitAfter(victim);
			longest = (wait.compareTo(longest) > 0) ? wait : longest;
		}
		event("wait for the next attempt after a kill -9 measured after " + measured + " of " + this.kills.size()
				+ " kills (the others overlapped the restart or another worker's exit); longest after a kill beside"
				+ " another worker's exit (not checked): " + longestUnchecked);
		return new KillWaits(longest, measured);
	}

	/**
	 * @param longest the longest wait for a killed worker's job's next attempt, over the kills measured
	 * @param measured how many kills it was measured after
	 */
	private record KillWaits(Duration longest, int measured) {
	}

	// The longest wait, by the database clock, from the kill to the next attempt of a job the killed
	// worker had started and not finished (under 60 s: a later one is a retry's backoff, not this).
	private Duration longestWaitAfter(Kill victim) {
		Instant kill = victim.at();
		List<OffsetDateTime> nextAttempts = jdbc().sql("""
				SELECT min(next.at) FROM %1$s.chaos_execution AS e
				JOIN %1$s.chaos_execution AS next ON next.job_id = e.job_id AND next.at > e.at
				WHERE e.at < :kill AND e.worker = :worker AND e.kind <> 'halt' AND NOT EXISTS (
				    SELECT 1 FROM %1$s.chaos_execution AS later
				    WHERE later.job_id = e.job_id AND later.at > e.at AND later.at < :kill)
				  AND e.at > CAST(:kill AS timestamptz) - interval '30 seconds'
				GROUP BY e.job_id, e.at
				""".formatted(this.schema))
			.param("kill", OffsetDateTime.ofInstant(kill, java.time.ZoneOffset.UTC))
			.param("worker", victim.workerId())
			.query(OffsetDateTime.class)
			.list();
		return nextAttempts.stream()
			.map((next) -> Duration.between(kill, next.toInstant()))
			.filter((wait) -> wait.compareTo(Duration.ofSeconds(60)) < 0)
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
	}

	private boolean overlapsRestart(Kill victim, Duration bound) {
		return this.restartFrom != null && this.restartUntil != null && victim.at().plus(bound).isAfter(this.restartFrom)
				&& victim.at().isBefore(this.restartUntil);
	}

	// How many other workers' JVMs exited on their own within the bound around this kill.
	private long othersExited(Kill victim, Duration bound) {
		return List.copyOf(this.exits).stream()
			.filter((exit) -> !victim.workerId().startsWith(exit.workerId() + "-")
					&& exit.at().isAfter(victim.at().minus(bound)) && exit.at().isBefore(victim.at().plus(bound)))
			.map(Kill::workerId)
			.distinct()
			.count();
	}

	/**
	 * For each kill -9: how long until each job the killed JVM was running had its lost lease rescued
	 * (the time of the "lease expired: worker W" error the rescue writes), by the database clock: the
	 * engine's own part of a killed worker's recovery, whatever the backlog. Measured while the
	 * database stayed up and some other worker's reaper was there to run.
	 */
	private Duration longestRescueAfterKill(Duration bound) {
		Duration longest = Duration.ZERO;
		int measured = 0;
		for (Kill victim : List.copyOf(this.kills)) {
			Instant kill = victim.at();
			if (overlapsRestart(victim, bound) || othersExited(victim, bound) >= this.workers.size() - 1) {
				continue;
			}
			measured++;
			List<OffsetDateTime> rescues = jdbc().sql("""
					SELECT CAST(e ->> 'at' AS timestamptz)
					FROM %1$s.pgqueue_job AS j, jsonb_array_elements(j.errors) AS e
					WHERE e ->> 'message' LIKE :message
					""".formatted(this.schema))
				.param("message", "lease expired: worker " + victim.workerId() + " %")
				.query(OffsetDateTime.class)
				.list();
			for (OffsetDateTime rescue : rescues) {
				Duration wait = Duration.between(kill, rescue.toInstant());
				if (wait.compareTo(longest) > 0) {
					longest = wait;
				}
			}
		}
		event("lease rescue after a kill -9 measured after " + measured + " of " + this.kills.size() + " kills");
		return longest;
	}

	private HikariDataSource dataSource() {
		HikariDataSource current = this.dataSource;
		if (current == null) {
			throw new IllegalStateException("no database yet");
		}
		return current;
	}

	private JdbcClient jdbc() {
		JdbcClient current = this.jdbc;
		if (current == null) {
			throw new IllegalStateException("no database yet");
		}
		return current;
	}

	private ChaosProxy proxy() {
		ChaosProxy current = this.proxy;
		if (current == null) {
			throw new IllegalStateException("no proxy yet");
		}
		return current;
	}

	// ---- helpers ----

	// A worker is stopped only while another one is healthy: the bound on how long a killed worker's
	// jobs wait (lease + reaper + poll) assumes someone is there to take them, and a cluster whose
	// every node is down or still starting can keep no bound at all.
	private boolean awaitAnotherHealthy(@Nullable WorkerProcess victim, Duration timeout) {
		return eventually(timeout, Duration.ofMillis(250),
				() -> this.workers.stream().anyMatch((worker) -> worker != victim && worker.isUp()));
	}

	private void awaitHealthy(Duration timeout) {
		if (!eventually(timeout, Duration.ofMillis(500), () -> this.workers.stream().allMatch(WorkerProcess::isUp))) {
			throw new IllegalStateException("workers did not become healthy; see " + this.logDirectory);
		}
	}

	// Checks the condition every so often until it holds, or the timeout passes.
	private static boolean eventually(Duration timeout, Duration every, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (condition.getAsBoolean()) {
				return true;
			}
			pause(every);
		}
		return false;
	}

	// The database's clock; retried for a while, as the database may just be coming back.
	private Instant dbNow() {
		Instant deadline = Instant.now().plusSeconds(30);
		while (true) {
			try {
				return jdbc().sql("SELECT now()").query(OffsetDateTime.class).single().toInstant();
			}
			catch (RuntimeException ex) {
				if (Instant.now().isAfter(deadline)) {
					throw ex;
				}
				pause(Duration.ofMillis(250));
			}
		}
	}

	private void event(String what) {
		String line = String.format(Locale.ROOT, "%s %s", Instant.now(), what);
		this.events.add(line);
		System.out.println("[chaos] " + line);
	}

	private static Thread daemon(String name, Runnable runnable) {
		Thread thread = new Thread(runnable, "chaos-" + name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static boolean pause(Duration duration) {
		try {
			TimeUnit.NANOSECONDS.sleep(duration.toNanos());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** One worker JVM. */
	private final class WorkerProcess {

		private final String name;

		private final int port;

		private volatile Process process;

		private int generation;

		// the chaos is stopping the current JVM (kill -9, SIGTERM, the run's end): its exit is not one
		// of its own
		private volatile boolean stopping;

		// the generation whose exit on its own was taken already
		private int exitTaken;

		WorkerProcess(String name, int port) {
			this.name = name;
			this.port = port;
		}

		/**
		 * Starts the JVM again if it exited (or was never started).
		 * @return whether it started one
		 */
		synchronized boolean startIfExited() throws IOException {
			Process current = this.process;
			if (current != null && current.isAlive()) {
				return false;
			}
			start();
			return true;
		}

		synchronized void start() throws IOException {
			this.generation++;
			this.stopping = false;
			String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
			String url = ChaosRun.this.workerUrl + (ChaosRun.this.workerUrl.contains("?") ? "&" : "?")
					+ "ApplicationName=" + APPLICATION_NAME;
			String recordUrl = ChaosRun.this.url + (ChaosRun.this.url.contains("?") ? "&" : "?")
					+ "ApplicationName=" + APPLICATION_NAME + "-recorder";
			// C1 only and the serial collector: a worker JVM starts sooner on a small, busy machine
			this.process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
					ChaosWorkerApplication.class.getName(), "--server.port=" + this.port, "--server.address=127.0.0.1",
					"--spring.datasource.url=" + url, "--spring.datasource.username=postgres", "--chaos.record-url=" + recordUrl,
					"--chaos.entries-file=" + entries(this.name),
					"--pgqueue.schema=" + ChaosRun.this.schema, "--pgqueue.worker.id=" + id(),
					"--pgqueue.lease-duration=" + LEASE.toMillis() + "ms",
					"--pgqueue.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
					"--pgqueue.poll-interval=" + POLL.toMillis() + "ms",
					"--pgqueue.reaper-interval=" + REAPER.toMillis() + "ms",
					"--pgqueue.retry.initial-backoff=" + INITIAL_BACKOFF.toMillis() + "ms",
					"--pgqueue.retry.max-backoff=" + MAX_BACKOFF.toMillis() + "ms", "--pgqueue.retry.jitter=" + JITTER)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(ChaosRun.this.logDirectory.resolve(this.name + ".log").toFile()))
				.start();
		}

		/** @return the pgqueue worker id of its current JVM */
		String id() {
			return this.name + "-" + this.generation;
		}

		String exitValue() {
			return this.process.isAlive() ? "running" : Integer.toString(this.process.exitValue());
		}

		boolean isAlive() {
			return this.process.isAlive();
		}

		/**
		 * @return whether the current JVM exited on its own (a halt job, a failed start), not stopped by
		 * the chaos; true once for each JVM
		 */
		synchronized boolean takeExitOnItsOwn() {
			if (this.process.isAlive() || this.stopping || this.exitTaken == this.generation) {
				return false;
			}
			this.exitTaken = this.generation;
			return true;
		}

		void kill9() throws Exception {
			this.stopping = true;
			new ProcessBuilder("kill", "-9", Long.toString(this.process.pid())).start().waitFor();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}

		void sigterm() throws Exception {
			this.stopping = true;
			new ProcessBuilder("kill", "-TERM", Long.toString(this.process.pid())).start().waitFor();
		}

		void awaitExit(Duration timeout) throws InterruptedException {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}

		void stop() {
			if (!this.process.isAlive()) {
				return;
			}
			this.stopping = true;
			this.process.destroy();
			try {
				if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		boolean isUp() {
			return "UP".equals(health());
		}

		String health() {
			try {
				HttpResponse<String> response = ChaosRun.this.http.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/pgqueue"))
					// longer than the pool's connection timeout: a health check waiting for the database says DOWN
					.timeout(Duration.ofSeconds(6))
					.build(), HttpResponse.BodyHandlers.ofString());
				return response.body().contains("\"status\":\"UP\"") ? "UP"
						: response.body().contains("\"status\":\"DOWN\"") ? "DOWN" : "HTTP " + response.statusCode();
			}
			catch (IOException ex) {
				return "unreachable";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "interrupted";
			}
		}

	}

	/** A {@code kill -9}: when, by the database clock, and the pgqueue worker id of the JVM killed. */
	private record DeadUnrun(long id, String kind, int attempt, @Nullable Instant attemptedAt, String lastError) {

		@Override
		public String toString() {
			return this.id + " (" + this.kind + ", attempt " + this.attempt + ", started " + this.attemptedAt + "): "
					+ this.lastError;
		}

	}

	private record Kill(Instant at, String workerId) {
	}

	/** The faults the chaos loop injects. */
	private enum Fault {

		/** {@code kill -9} of a worker JVM, restarted a second later. */
		KILL,

		/** SIGTERM to a worker JVM (a graceful stop), restarted once it exited. */
		SIGTERM,

		/** {@code pg_terminate_backend} of up to three random worker connections. */
		CUT_CONNECTIONS,

		/** Every worker connection reset at the proxy, new ones refused for {@value #OUTAGE_MILLIS} ms. */
		OUTAGE;

		boolean stopsAWorker() {
			return this == KILL || this == SIGTERM;
		}

	}

	/**
	 * How to run.
	 *
	 * @param url the database, on loopback; {@code null}: a PostgreSQL of the run's own
	 * @param duration how long the chaos lasts
	 * @param rate jobs enqueued per second
	 * @param restartPostgres whether to restart the run's own PostgreSQL once mid-run
	 * @param logDirectory where the workers' and the own server's logs go
	 */
	public record Options(@Nullable String url, Duration duration, int rate, boolean restartPostgres, String logDirectory) {

		static Options parse(String[] args) {
			Map<String, String> values = new LinkedHashMap<>();
			for (int i = 0; i + 1 < args.length; i += 2) {
				values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
			}
			String url = values.get("url");
			return new Options(url, Duration.parse("PT" + values.getOrDefault("duration", "10m").toUpperCase(Locale.ROOT)),
					Integer.parseInt(values.getOrDefault("rate", "40")),
					Boolean.parseBoolean(values.getOrDefault("restart-postgres", Boolean.toString(url == null))),
					values.getOrDefault("logs", "target/chaos"));
		}

	}

	/**
	 * One named check of the run.
	 *
	 * @param name what it checks
	 * @param held whether it held
	 * @param failure what was seen when it did not
	 */
	public record Check(String name, boolean held, String failure) {

		static Check of(String name, boolean held, String failure) {
			return new Check(name, held, failure);
		}

		@Override
		public String toString() {
			return (this.held ? "held     " : "VIOLATED ") + this.name + (this.held ? "" : ": " + this.failure);
		}

	}

	/**
	 * What the run found.
	 */
	public record Report(long enqueued, Map<String, Long> states, List<String> deadReasons, long lost,
			long duplicateExecutions, long effectsRunTwice, long effectsInDoubt, long deadNeverRun,
			Map<String, Long> handlerFaults, List<Duration> haltGaps, Duration longestWaitAfterKill, Duration waitBound,
			List<String> events, List<Check> checks) {

		/** @return each check that did not hold, with what was seen */
		public List<String> violations() {
			return this.checks.stream().filter((check) -> !check.held()).map((check) -> check.name() + ": " + check.failure())
				.toList();
		}

		public String describe() {
			StringBuilder out = new StringBuilder("\n==== pgqueue chaos run ====\n");
			this.events.forEach((event) -> out.append("  ").append(event).append('\n'));
			out.append(String.format(Locale.ROOT, "jobs enqueued:            %d%n", this.enqueued));
			out.append(String.format(Locale.ROOT, "completed:                %d%n", this.states.getOrDefault("completed", 0L)));
			out.append(String.format(Locale.ROOT, "dead:                     %d%n", this.states.getOrDefault("dead", 0L)));
			this.deadReasons.stream().limit(40).forEach((reason) -> out.append("    dead ").append(reason).append('\n'));
			if (this.deadReasons.size() > 40) {
				out.append("    ... and ").append(this.deadReasons.size() - 40).append(" more\n");
			}
			out.append(String.format(Locale.ROOT, "dead whose handler never ran (must be 0): %d%n", this.deadNeverRun));
			out.append(String.format(Locale.ROOT, "still running (must be 0): %d%n", this.states.getOrDefault("running", 0L)));
			out.append(String.format(Locale.ROOT, "still available:          %d%n", this.states.getOrDefault("available", 0L)));
			out.append(String.format(Locale.ROOT, "lost (must be 0):         %d%n", this.lost));
			out.append(String.format(Locale.ROOT, "executions beyond one per job (retries, re-runs after crashes; allowed): %d%n",
					this.duplicateExecutions));
			out.append(String.format(Locale.ROOT, "runOnce effects run twice (must be 0): %d%n", this.effectsRunTwice));
			out.append(String.format(Locale.ROOT, "runOnce effects in doubt: %d%n", this.effectsInDoubt));
			out.append(String.format(Locale.ROOT, "faults injected by handlers: %s%n", this.handlerFaults));
			out.append(String.format(Locale.ROOT, "gaps between a JVM-killing job's attempts: %d, min %s, median %s%n",
					this.haltGaps.size(), this.haltGaps.isEmpty() ? "-" : this.haltGaps.get(0),
					this.haltGaps.isEmpty() ? "-" : this.haltGaps.get(this.haltGaps.size() / 2)));
			out.append(String.format(Locale.ROOT, "longest wait after a worker was killed: %s (bound %s)%n",
					this.longestWaitAfterKill, this.waitBound));
			out.append("checks:\n");
			this.checks.forEach((check) -> out.append("  ").append(check).append('\n'));
			out.append(violations().isEmpty() ? "RESULT: every invariant held\n"
					: "RESULT: VIOLATED\n  " + String.join("\n  ", violations()) + "\n");
			return out.toString();
		}

	}

}
