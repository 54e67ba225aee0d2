package io.github.pgqueue.guarantees;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.QueueSettings;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker in a JVM of its own for tests that kill it. Each handler first records its start in
 * {@code <schema>.starts} on a connection of its own (autocommit), so a test can tell a job whose
 * handler ran from one that never started.
 * <p>
 * Arguments: JDBC URL, schema, mode: {@code short} (10 ms jobs on 2 slots, so the worker claims
 * ahead; the test kills it mid-drain) or {@code halt} (the first attempt halts the JVM).
 */
public final class CrashChildWorker {

	public static final String READY = "CRASH-CHILD-READY";

	private CrashChildWorker() {
	}

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String schema = args[1];
		String mode = args[2];
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setMaximumPoolSize(6);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		PgQueue pgQueue = PgQueue.builder(dataSource)
			.settings(EngineSettings.builder()
				.schema(schema)
				.workerId("crash-child-" + ProcessHandle.current().pid())
				.leaseDuration(Duration.ofSeconds(2))
				.heartbeatInterval(Duration.ofMillis(300))
				.pollInterval(Duration.ofMillis(100))
				.queue(QueueSettings.of("default", 2))
				.build())
			.handler("short", String.class, (payload, ctx) -> {
				recordStart(jdbc, schema, ctx.jobId().value(), ctx.attempt(), "child");
				// the handler's own work: 10 ms jobs are what make the worker claim ahead of its slots
				Thread.sleep(10);
			})
			.handler("halt", String.class, (payload, ctx) -> {
				recordStart(jdbc, schema, ctx.jobId().value(), ctx.attempt(), "child");
				if (ctx.attempt() == 1) {
					Runtime.getRuntime().halt(3);
				}
			})
			.build();
		pgQueue.start();
		System.out.println(READY + " " + mode);
		System.out.flush();
		new java.util.concurrent.CountDownLatch(1).await();
	}

	static void recordStart(JdbcClient jdbc, String schema, long jobId, int attempt, String worker) {
		jdbc.sql("INSERT INTO " + schema + ".starts (job_id, attempt, worker) VALUES (:job, :attempt, :worker)")
			.param("job", jobId)
			.param("attempt", attempt)
			.param("worker", worker)
			.update();
	}

}
