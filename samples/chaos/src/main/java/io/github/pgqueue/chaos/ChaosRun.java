package io.github.pgqueue.chaos;

import java.io.File;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The chaos run. Three worker JVMs ({@link ChaosWorkerApplication}) process a stream of fast, slow and
 * flaky jobs while a chaos loop, on loopback only, kills a random worker with {@code kill -9} and
 * restarts it, sends SIGTERM to one, terminates random worker connections with
 * {@code pg_terminate_backend}, and restarts PostgreSQL once mid-run. Then it lets the workers drain
 * and checks: every job enqueued is completed or dead (each dead one with its reason), none is left
 * running, none is lost, no {@code runOnce} effect ran twice; it counts duplicate executions and
 * effects in doubt, measures the longest a job waited after its worker was killed, and checks that
 * each worker's health went DOWN during the database restart and came back UP.
 * <p>
 * Usage: {@code java -cp "$(cat samples/chaos/target/classpath.txt):samples/chaos/target/classes"
 * io.github.pgqueue.chaos.ChaosRun [--duration 10m] [--url jdbc:postgresql://127.0.0.1:5432/postgres]
 * [--rate 40] [--restart-postgres true]}
 */
public final class ChaosRun {

	static final String APPLICATION_NAME = "pgqueue-chaos";

	private final Options options;

	private final HikariDataSource dataSource;

	private final JdbcClient jdbc;

	private final String schema;

	private final Path logDirectory;

	private final List<WorkerProcess> workers = new ArrayList<>();

	private final List<String> events = Collections.synchronizedList(new ArrayList<>());

	private final List<Instant> kills = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, List<String>> healthSeen = new ConcurrentHashMap<>();

	private final AtomicLong enqueued = new AtomicLong();

	private final AtomicLong sigterms = new AtomicLong();

	private final Deque<Fault> faults = new ArrayDeque<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final AtomicBoolean running = new AtomicBoolean(true);


	public ChaosRun(Options options) {
		if (!options.url().matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost)(:\\d+)?/.*")) {
			throw new IllegalArgumentException("the chaos run works on loopback only, not " + options.url());
		}
		this.options = options;
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl(options.url());
		this.dataSource.setUsername("postgres");
		this.dataSource.setMaximumPoolSize(6);
		this.dataSource.setConnectionTimeout(2000);
		this.jdbc = JdbcClient.create(this.dataSource);
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
		setUp();
		PgQueue producerSide = PgQueue.builder(this.dataSource)
			.settings(EngineSettings.builder().schema(this.schema).build())
			.build();
		JobQueue jobQueue = producerSide.jobQueue();
		for (int i = 0; i < 3; i++) {
			WorkerProcess worker = new WorkerProcess("worker-" + i, freePort());
			this.workers.add(worker);
			worker.start();
		}
		awaitHealthy(Duration.ofSeconds(90));
		event("workers up");
		Thread producer = daemon("producer", () -> produce(jobQueue));
		Instant end = Instant.now().plus(this.options.duration());
		Instant restartAt = Instant.now().plus(this.options.duration().multipliedBy(2).dividedBy(5));
		boolean restarted = !this.options.restartPostgres();
		try {
			while (Instant.now().isBefore(end)) {
				if (!restarted && Instant.now().isAfter(restartAt)) {
					restartDatabase();
					restarted = true;
				}
				else {
					chaosStep();
				}
				pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(2000, 4000)));
			}
		}
		finally {
			this.running.set(false);
			producer.join(TimeUnit.SECONDS.toMillis(30));
		}
		event("chaos over: draining");
		startExited();
		boolean drained = awaitDrained(Duration.ofMinutes(3));
		Report report = check(drained);
		this.workers.forEach(WorkerProcess::stop);
		if (report.violations().isEmpty()) {
			// a failed run keeps its schema for a post-mortem
			this.jdbc.sql("DROP SCHEMA " + this.schema + " CASCADE").update();
		}
		this.dataSource.close();
		return report;
	}

	private void setUp() {
		PgQueue.builder(this.dataSource).settings(EngineSettings.builder().schema(this.schema).build()).build().migrate();
		this.jdbc.sql("CREATE TABLE " + this.schema + ".chaos_execution (job_id bigint NOT NULL, attempt int NOT NULL,"
				+ " worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())").update();
		this.jdbc.sql("CREATE TABLE " + this.schema + ".chaos_effect (job_id bigint NOT NULL, step text NOT NULL,"
				+ " worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())").update();
		event("schema " + this.schema + " ready");
	}

	// ---- the producer: each job enqueued exactly once, even across the database restart ----

	private void produce(JobQueue jobQueue) {
		long sequence = 0;
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, this.options.rate());
		while (this.running.get()) {
			long started = System.nanoTime();
			String kind = pickKind();
			String key = "chaos-" + sequence;
			while (this.running.get() || sequence == this.enqueued.get()) {
				try {
					// the key makes a retry after an ambiguous failure (commit unknown) harmless
					jobQueue.enqueue(kind, sequence, EnqueueOptions.builder().idempotencyKey(key).build());
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

	private static String pickKind() {
		double r = ThreadLocalRandom.current().nextDouble();
		return (r < 0.6) ? "fast" : (r < 0.8) ? "slow" : "flaky";
	}

	// ---- chaos ----

	private void chaosStep() throws Exception {
		startExited();
		if (this.faults.isEmpty()) {
			// every kind of fault in each round, in a random order: a short run still sees all three
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
		switch (fault) {
			case KILL -> {
				Instant at = dbNow();
				worker.kill9();
				this.kills.add(at);
				event("kill -9 " + worker.name);
				pause(Duration.ofSeconds(1));
				worker.start();
			}
			case SIGTERM -> {
				worker.sigterm();
				this.sigterms.incrementAndGet();
				event("SIGTERM " + worker.name);
				worker.awaitExit(Duration.ofSeconds(20));
				worker.start();
			}
			case CUT_CONNECTIONS -> {
				int terminated = this.jdbc.sql("""
						SELECT count(pg_terminate_backend(pid)) FROM (
						    SELECT pid FROM pg_stat_activity WHERE application_name = :name ORDER BY random() LIMIT 3
						) AS victims
						""").param("name", APPLICATION_NAME).query(Integer.class).single();
				event("pg_terminate_backend: " + terminated + " worker connection(s)");
			}
		}
	}

	// Stops PostgreSQL for a few seconds and starts it again, with every worker healthy before: each
	// must report DOWN while the database is away and UP again once it is back, on its own.
	private void restartDatabase() throws Exception {
		awaitHealthy(Duration.ofSeconds(90));
		event("stopping PostgreSQL");
		pgCtl("stop");
		Instant downUntil = Instant.now().plusSeconds(6);
		while (Instant.now().isBefore(downUntil)) {
			for (WorkerProcess worker : this.workers) {
				if ("DOWN".equals(worker.health())) {
					healthSeen(worker, "DOWN");
				}
			}
			pause(Duration.ofMillis(200));
		}
		pgCtl("start");
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

	// As an orchestrator would: a worker that exited on its own (a cut connection can fail its start-up
	// migration, and the JVM then exits) is started again.
	private void startExited() throws IOException {
		for (WorkerProcess worker : this.workers) {
			if (!worker.isAlive()) {
				event(worker.name + " is not running: starting it");
				worker.start();
			}
		}
	}

	private void healthSeen(WorkerProcess worker, String status) {
		this.healthSeen.computeIfAbsent(worker.name, (name) -> Collections.synchronizedList(new ArrayList<>())).add(status);
	}

	private void pgCtl(String action) throws Exception {
		String version;
		try (var versions = Files.list(Path.of("/etc/postgresql"))) {
			version = versions.map((path) -> path.getFileName().toString()).sorted().findFirst().orElseThrow();
		}
		Process process = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logDirectory.resolve("pg-restart.log").toFile()))
			.start();
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("pg_ctlcluster " + action + " failed; see " + this.logDirectory.resolve("pg-restart.log"));
		}
	}

	// ---- draining and checking ----

	private boolean awaitDrained(Duration timeout) {
		return eventually(timeout, Duration.ofSeconds(1), () -> {
			try {
				return this.jdbc.sql("SELECT count(*) FROM " + this.schema
						+ ".pgqueue_job WHERE state IN ('available', 'running')").query(Long.class).single() == 0;
			}
			catch (RuntimeException ex) {
				// the database may still be coming back
				return false;
			}
		});
	}

	private Report check(boolean drained) {
		String job = this.schema + ".pgqueue_job";
		Map<String, Long> states = new LinkedHashMap<>();
		this.jdbc.sql("SELECT state, count(*) FROM " + job + " GROUP BY state ORDER BY state")
			.query((rs, row) -> states.put(rs.getString(1), rs.getLong(2)))
			.list();
		long total = states.values().stream().mapToLong(Long::longValue).sum();
		long lost = this.enqueued.get() - this.jdbc.sql("SELECT count(*) FROM " + job + " WHERE idempotency_key LIKE 'chaos-%'")
			.query(Long.class)
			.single();
		List<String> deadReasons = this.jdbc.sql("SELECT id || ' (' || kind || ', attempt ' || attempt || '): ' || "
				+ "coalesce(errors -> -1 ->> 'message', '?') FROM " + job + " WHERE state = 'dead' ORDER BY id")
			.query(String.class)
			.list();
		long duplicateExecutions = this.jdbc.sql("SELECT count(*) - count(DISTINCT job_id) FROM " + this.schema
				+ ".chaos_execution").query(Long.class).single();
		long effectsTwice = this.jdbc.sql("SELECT count(*) FROM (SELECT job_id FROM " + this.schema
				+ ".chaos_effect GROUP BY job_id, step HAVING count(*) > 1) AS twice").query(Long.class).single();
		long inDoubt = this.jdbc.sql("SELECT count(*) FROM " + this.schema + ".pgqueue_side_effect AS s JOIN " + job
				+ " AS j ON j.id = s.job_id WHERE s.state = 'started' AND j.state <> 'running'").query(Long.class).single();
		long completedWithoutEffect = this.jdbc.sql("SELECT count(*) FROM " + job + " AS j WHERE j.state = 'completed' "
				+ "AND NOT EXISTS (SELECT 1 FROM " + this.schema + ".chaos_effect AS e WHERE e.job_id = j.id)")
			.query(Long.class)
			.single();
		Duration longestWait = longestWaitAfterKill();
		Duration bound = Duration.ofSeconds(5 + 1).plusMillis(250).plusSeconds(3);

		List<String> violations = new ArrayList<>();
		if (!drained) {
			violations.add("the workers did not drain the queue within 3 minutes");
		}
		if (states.getOrDefault("running", 0L) != 0) {
			violations.add(states.get("running") + " job(s) still running");
		}
		if (lost != 0) {
			violations.add(lost + " job(s) lost");
		}
		if (effectsTwice != 0) {
			violations.add(effectsTwice + " runOnce effect(s) ran more than once");
		}
		if (completedWithoutEffect != 0) {
			violations.add(completedWithoutEffect + " completed job(s) without their effect");
		}
		if (total != this.enqueued.get()) {
			violations.add("the table holds " + total + " jobs, " + this.enqueued.get() + " were enqueued");
		}
		if (this.kills.isEmpty() || this.sigterms.get() == 0) {
			violations.add("the run killed " + this.kills.size() + " worker(s) with kill -9 and sent " + this.sigterms.get()
					+ " SIGTERM(s): too little chaos to prove anything");
		}
		if (longestWait.compareTo(bound) > 0) {
			violations.add("a job waited " + longestWait + " after its worker died, over lease + reaper + poll (" + bound + ")");
		}
		if (this.options.restartPostgres()) {
			this.workers.forEach((worker) -> {
				List<String> seen = this.healthSeen.getOrDefault(worker.name, List.of());
				int down = seen.indexOf("DOWN");
				if (down < 0 || !seen.subList(down, seen.size()).contains("UP")) {
					violations.add(worker.name + "'s health did not go DOWN and back UP around the database restart: " + seen);
				}
			});
		}
		return new Report(this.enqueued.get(), states, deadReasons, lost, duplicateExecutions, effectsTwice, inDoubt,
				longestWait, bound, List.copyOf(this.events), violations);
	}

	// For each kill -9: the jobs the killed worker had started and not finished, and how long until
	// another attempt started, all by the database clock.
	private Duration longestWaitAfterKill() {
		Duration longest = Duration.ZERO;
		for (Instant kill : List.copyOf(this.kills)) {
			List<OffsetDateTime> waits = this.jdbc.sql("""
					SELECT min(next.at) FROM %1$s.chaos_execution AS e
					JOIN %1$s.chaos_execution AS next ON next.job_id = e.job_id AND next.attempt > e.attempt
					WHERE e.at < :kill AND NOT EXISTS (
					    SELECT 1 FROM %1$s.chaos_execution AS later
					    WHERE later.job_id = e.job_id AND later.attempt > e.attempt AND later.at < :kill)
					  AND e.at > CAST(:kill AS timestamptz) - interval '30 seconds'
					GROUP BY e.job_id, e.attempt
					""".formatted(this.schema))
				.param("kill", OffsetDateTime.ofInstant(kill, java.time.ZoneOffset.UTC))
				.query(OffsetDateTime.class)
				.list();
			for (OffsetDateTime next : waits) {
				Duration wait = Duration.between(kill, next.toInstant());
				if (wait.compareTo(longest) > 0 && wait.compareTo(Duration.ofSeconds(60)) < 0) {
					longest = wait;
				}
			}
		}
		return longest;
	}

	// ---- helpers ----

	// A worker is stopped only while another one is healthy: the bound on how long a killed worker's
	// jobs wait (lease + reaper + poll) assumes someone is there to take them, and a cluster whose
	// every node is down or still starting can keep no bound at all.
	private boolean awaitAnotherHealthy(WorkerProcess victim, Duration timeout) {
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

	private Instant dbNow() {
		return this.jdbc.sql("SELECT now()").query(OffsetDateTime.class).single().toInstant();
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

		WorkerProcess(String name, int port) {
			this.name = name;
			this.port = port;
		}

		void start() throws IOException {
			this.generation++;
			String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
			String url = ChaosRun.this.options.url() + (ChaosRun.this.options.url().contains("?") ? "&" : "?")
					+ "ApplicationName=" + APPLICATION_NAME;
			this.process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
					ChaosWorkerApplication.class.getName(), "--server.port=" + this.port, "--server.address=127.0.0.1",
					"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--pgqueue.schema=" + ChaosRun.this.schema, "--pgqueue.worker.id=" + this.name + "-" + this.generation)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(ChaosRun.this.logDirectory.resolve(this.name + ".log").toFile()))
				.start();
		}

		boolean isAlive() {
			return this.process.isAlive();
		}

		void kill9() throws Exception {
			new ProcessBuilder("kill", "-9", Long.toString(this.process.pid())).start().waitFor();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}

		void sigterm() throws Exception {
			new ProcessBuilder("kill", "-TERM", Long.toString(this.process.pid())).start().waitFor();
		}

		void awaitExit(Duration timeout) throws InterruptedException {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}

		void stop() {
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

	/** The faults the chaos loop injects. */
	private enum Fault {

		/** {@code kill -9} of a worker JVM, restarted a second later. */
		KILL,

		/** SIGTERM to a worker JVM (a graceful stop), restarted once it exited. */
		SIGTERM,

		/** {@code pg_terminate_backend} of up to three random worker connections. */
		CUT_CONNECTIONS;

		boolean stopsAWorker() {
			return this != CUT_CONNECTIONS;
		}

	}

	/**
	 * How to run.
	 *
	 * @param url the database, on loopback
	 * @param duration how long the chaos lasts
	 * @param rate jobs enqueued per second
	 * @param restartPostgres whether to restart PostgreSQL once mid-run
	 * @param logDirectory where the workers' logs go
	 */
	public record Options(String url, Duration duration, int rate, boolean restartPostgres, String logDirectory) {

		static Options parse(String[] args) {
			Map<String, String> values = new LinkedHashMap<>();
			for (int i = 0; i + 1 < args.length; i += 2) {
				values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
			}
			return new Options(values.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
					Duration.parse("PT" + values.getOrDefault("duration", "10m").toUpperCase(Locale.ROOT)),
					Integer.parseInt(values.getOrDefault("rate", "40")),
					Boolean.parseBoolean(values.getOrDefault("restart-postgres", "true")),
					values.getOrDefault("logs", "target/chaos"));
		}

	}

	/**
	 * What the run found.
	 */
	public record Report(long enqueued, Map<String, Long> states, List<String> deadReasons, long lost,
			long duplicateExecutions, long effectsRunTwice, long effectsInDoubt, Duration longestWaitAfterKill,
			Duration waitBound, List<String> events, List<String> violations) {

		public String describe() {
			StringBuilder out = new StringBuilder("\n==== pgqueue chaos run ====\n");
			this.events.forEach((event) -> out.append("  ").append(event).append('\n'));
			out.append(String.format(Locale.ROOT, "jobs enqueued:            %d%n", this.enqueued));
			out.append(String.format(Locale.ROOT, "completed:                %d%n", this.states.getOrDefault("completed", 0L)));
			out.append(String.format(Locale.ROOT, "dead:                     %d%n", this.states.getOrDefault("dead", 0L)));
			this.deadReasons.forEach((reason) -> out.append("    dead ").append(reason).append('\n'));
			out.append(String.format(Locale.ROOT, "still running (must be 0): %d%n", this.states.getOrDefault("running", 0L)));
			out.append(String.format(Locale.ROOT, "still available:          %d%n", this.states.getOrDefault("available", 0L)));
			out.append(String.format(Locale.ROOT, "lost (must be 0):         %d%n", this.lost));
			out.append(String.format(Locale.ROOT, "executions beyond one per job (retries, re-runs after crashes; allowed): %d%n",
					this.duplicateExecutions));
			out.append(String.format(Locale.ROOT, "runOnce effects run twice (must be 0): %d%n", this.effectsRunTwice));
			out.append(String.format(Locale.ROOT, "runOnce effects in doubt: %d%n", this.effectsInDoubt));
			out.append(String.format(Locale.ROOT, "longest wait after a worker was killed: %s (bound %s)%n",
					this.longestWaitAfterKill, this.waitBound));
			out.append(this.violations.isEmpty() ? "RESULT: every invariant held\n"
					: "RESULT: VIOLATED\n  " + String.join("\n  ", this.violations) + "\n");
			return out.toString();
		}

	}

}
