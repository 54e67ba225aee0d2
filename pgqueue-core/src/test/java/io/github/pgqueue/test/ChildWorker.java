package io.github.pgqueue.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.QueueSettings;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker in a JVM of its own, for tests that kill it with {@code kill -9}. It runs jobs of kind
 * {@value #KIND}: the side effect inserts a row into {@code <schema>.effects}, then the process
 * announces where it is on standard output and waits to be killed.
 * <p>
 * Arguments: JDBC URL, schema, mode ({@code after-effect}: killed after {@code runOnce} recorded the
 * effect; {@code inside-effect}: killed inside the effect, after it happened but before it was
 * recorded).
 */
public final class ChildWorker {

	public static final String KIND = "charge";

	public static final String READY = "CHILD-READY";

	public static final String EFFECT_RECORDED = "CHILD-EFFECT-RECORDED";

	public static final String INSIDE_EFFECT = "CHILD-INSIDE-EFFECT";

	private ChildWorker() {
	}

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String schema = args[1];
		String mode = args[2];
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setMaximumPoolSize(5);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		CountDownLatch never = new CountDownLatch(1);
		PgQueue pgQueue = PgQueue.builder(dataSource)
			.settings(EngineSettings.builder()
				.schema(schema)
				.workerId("child-" + ProcessHandle.current().pid())
				.leaseDuration(Duration.ofSeconds(2))
				.heartbeatInterval(Duration.ofMillis(300))
				.pollInterval(Duration.ofMillis(100))
				.queue(QueueSettings.of("default", 1))
				.build())
			.handler(KIND, String.class, (payload, ctx) -> {
				ctx.runOnce("charge", RunOnce.AT_MOST_ONCE, () -> {
					jdbc.sql("INSERT INTO " + schema + ".effects (job_id, step, worker) VALUES (:job, 'charge', 'child')")
						.param("job", ctx.jobId().value())
						.update();
					if (mode.equals("inside-effect")) {
						announce(INSIDE_EFFECT);
						await(never);
					}
					return "receipt-" + ctx.jobId();
				});
				announce(EFFECT_RECORDED);
				await(never);
			})
			.build();
		pgQueue.start();
		announce(READY);
		never.await();
	}

	private static void announce(String line) {
		System.out.println(line);
		System.out.flush();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
