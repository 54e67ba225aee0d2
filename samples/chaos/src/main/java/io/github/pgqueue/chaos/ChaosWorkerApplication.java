package io.github.pgqueue.chaos;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One chaos worker: a plain application on the starter. Every attempt is recorded in
 * {@code chaos_execution} (to count duplicate executions), and each job's external effect goes
 * through {@code ctx.runOnce} into {@code chaos_effect} (which must never hold a step twice).
 */
@SpringBootApplication
public class ChaosWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChaosWorkerApplication.class, args);
	}

	@Bean
	ChaosJobs chaosJobs(JdbcClient jdbc, org.springframework.core.env.Environment environment) {
		return new ChaosJobs(jdbc, environment.getRequiredProperty("pgqueue.schema"),
				environment.getProperty("pgqueue.worker.id", "worker"));
	}

	/**
	 * The handlers: fast, slow, and flaky (failing some attempts after their effect).
	 */
	static class ChaosJobs {

		private final JdbcClient jdbc;

		private final String schema;

		private final String worker;

		ChaosJobs(JdbcClient jdbc, String schema, String worker) {
			this.jdbc = jdbc;
			this.schema = schema;
			this.worker = worker;
		}

		@JobHandler("fast")
		void fast(Long n, JobContext ctx) {
			run(ctx, Duration.ZERO, 0.0);
		}

		@JobHandler("slow")
		void slow(Long n, JobContext ctx) throws InterruptedException {
			run(ctx, Duration.ofMillis(ThreadLocalRandom.current().nextLong(200, 1500)), 0.0);
		}

		@JobHandler("flaky")
		void flaky(Long n, JobContext ctx) throws InterruptedException {
			run(ctx, Duration.ofMillis(ThreadLocalRandom.current().nextLong(0, 100)), 0.3);
		}

		private void run(JobContext ctx, Duration work, double failure) {
			this.jdbc.sql("INSERT INTO " + this.schema + ".chaos_execution (job_id, attempt, worker) VALUES (:job, :attempt, :worker)")
				.param("job", ctx.jobId().value())
				.param("attempt", ctx.attempt())
				.param("worker", this.worker)
				.update();
			ctx.runOnce("effect", () -> {
				this.jdbc.sql("INSERT INTO " + this.schema + ".chaos_effect (job_id, step, worker) VALUES (:job, 'effect', :worker)")
					.param("job", ctx.jobId().value())
					.param("worker", this.worker)
					.update();
			});
			if (!work.isZero()) {
				try {
					Thread.sleep(work.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted", ex);
				}
			}
			if (ThreadLocalRandom.current().nextDouble() < failure) {
				throw new IllegalStateException("flaky failure on attempt " + ctx.attempt());
			}
		}

	}

}
