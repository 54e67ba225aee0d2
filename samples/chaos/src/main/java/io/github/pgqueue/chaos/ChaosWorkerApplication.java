package io.github.pgqueue.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One chaos worker: a plain application on the starter, whose pgqueue connections go through the
 * chaos run's proxy. Every attempt's start is recorded in {@code chaos_execution}, and each job's
 * external effect (for the {@code charge} kind: the charge) goes through {@code ctx.runOnce} into
 * {@code chaos_effect} (which must never hold a step twice). Both are written by a
 * {@link ChaosRecorder} on connections of its own (autocommit, straight to the database), outside any
 * job's transaction, as an outside system would see them; the faults a kind injects go to
 * {@code chaos_fault}.
 */
@SpringBootApplication
@EnableTransactionManagement
public class ChaosWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChaosWorkerApplication.class, args);
	}

	@Bean
	ChaosRecorder chaosRecorder(Environment environment) {
		String entries = environment.getProperty("chaos.entries-file");
		return new ChaosRecorder(
				environment.getProperty("chaos.record-url", environment.getRequiredProperty("spring.datasource.url")),
				environment.getRequiredProperty("pgqueue.schema"), environment.getProperty("pgqueue.worker.id", "worker"),
				(entries != null) ? Path.of(entries) : null);
	}

	@Bean
	ChaosJobs chaosJobs(ChaosRecorder recorder) {
		return new ChaosJobs(recorder);
	}

	@Bean
	ChargeJobs chargeJobs(JdbcClient jdbc, ChaosRecorder recorder, Environment environment) {
		return new ChargeJobs(jdbc, recorder, environment.getRequiredProperty("pgqueue.schema"),
				environment.getRequiredProperty("pgqueue.lease-duration", Duration.class));
	}

	/**
	 * The handlers without a transaction of their own: fast (also enqueued with one attempt only),
	 * slow, flaky (failing some attempts after their effect), hang (past its job timeout on its first
	 * attempt) and halt (killing its JVM on its first attempt).
	 */
	static class ChaosJobs {

		/** How long a hung first attempt of the {@code hang} kind waits for its interrupt. */
		static final Duration HANG = Duration.ofSeconds(20);

		/** How long a hung first attempt that ignores interrupts lasts. */
		static final Duration HANG_IGNORING_INTERRUPTS = Duration.ofSeconds(8);

		private final ChaosRecorder recorder;

		ChaosJobs(ChaosRecorder recorder) {
			this.recorder = recorder;
		}

		@JobHandler("fast")
		public void fast(Long n, JobContext ctx) {
			run(ctx, Duration.ZERO, 0.0);
		}

		@JobHandler("once")
		public void once(Long n, JobContext ctx) {
			run(ctx, Duration.ZERO, 0.0);
		}

		@JobHandler("slow")
		public void slow(Long n, JobContext ctx) {
			run(ctx, Duration.ofMillis(ThreadLocalRandom.current().nextLong(200, 1500)), 0.0);
		}

		@JobHandler("flaky")
		public void flaky(Long n, JobContext ctx) {
			run(ctx, Duration.ofMillis(ThreadLocalRandom.current().nextLong(0, 100)), 0.3);
		}

		// The first attempt hangs past the 2 s timeout: jobs of even payloads until interrupted (or
		// HANG passes), odd ones ignoring interrupts for HANG_IGNORING_INTERRUPTS; later attempts finish.
		@JobHandler(value = "hang", timeout = "2s")
		public void hang(Long n, JobContext ctx) {
			long before = this.recorder.started(ctx, "hang");
			effect(ctx);
			if (before > 0) {
				return;
			}
			if (n % 2 == 0) {
				this.recorder.fault(ctx, "hang");
				try {
					Thread.sleep(HANG.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted while hanging", ex);
				}
			}
			else {
				this.recorder.fault(ctx, "hang-ignoring-interrupts");
				boolean interrupted = false;
				Instant until = Instant.now().plus(HANG_IGNORING_INTERRUPTS);
				while (Instant.now().isBefore(until)) {
					try {
						Thread.sleep(Math.max(1, Duration.between(Instant.now(), until).toMillis()));
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

		// The first attempt kills the JVM it runs in, as a handler that crashes its process would;
		// its start is on record before, so the run can measure the gap to the next attempt.
		@JobHandler("halt")
		public void halt(Long n, JobContext ctx) {
			if (this.recorder.started(ctx, "halt") == 0) {
				this.recorder.fault(ctx, "halt");
				System.err.println("[chaos] job " + ctx.jobId().value() + " halts its JVM");
				Runtime.getRuntime().halt(86);
			}
			effect(ctx);
		}

		private void run(JobContext ctx, Duration work, double failure) {
			this.recorder.started(ctx, "plain");
			effect(ctx);
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

		private void effect(JobContext ctx) {
			ctx.runOnce("effect", () -> this.recorder.effect(ctx, "effect"));
		}

	}

	/**
	 * A {@code @Transactional} handler bean, as a user's service would be: it writes its own row in the
	 * worker's transaction, charges through {@code ctx.runOnce} (the charge committed on a connection
	 * of its own, as an outside payment API would), and then sometimes fails (the transaction rolls
	 * back, the charge stays) or keeps its transaction open past the lease.
	 */
	public static class ChargeJobs {

		private final JdbcClient jdbc;

		private final ChaosRecorder recorder;

		private final String schema;

		private final Duration lease;

		ChargeJobs(JdbcClient jdbc, ChaosRecorder recorder, String schema, Duration lease) {
			this.jdbc = jdbc;
			this.recorder = recorder;
			this.schema = schema;
			this.lease = lease;
		}

		@Transactional
		@JobHandler("charge")
		public void charge(Long n, JobContext ctx) {
			if (!TransactionSynchronizationManager.isActualTransactionActive()) {
				throw new IllegalStateException("the charge handler runs without its transaction");
			}
			this.recorder.started(ctx, "charge");
			this.jdbc.sql("INSERT INTO " + this.schema + ".chaos_order (job_id, attempt) VALUES (:job, :attempt)")
				.param("job", ctx.jobId().value())
				.param("attempt", ctx.attempt())
				.update();
			ctx.runOnce("charge", () -> this.recorder.effect(ctx, "charge"));
			double r = ThreadLocalRandom.current().nextDouble();
			if (r < 0.2) {
				this.recorder.fault(ctx, "charge-then-throw");
				throw new IllegalStateException("failure after the charge, attempt " + ctx.attempt());
			}
			if (r < 0.24) {
				this.recorder.fault(ctx, "charge-then-hold-transaction");
				try {
					Thread.sleep(this.lease.multipliedBy(3).dividedBy(2).toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted", ex);
				}
			}
		}

	}

	/**
	 * Writes the run's records on connections of its own, straight to the database (not through the
	 * chaos proxy), each statement committed on its own: what it records stays whatever the job's
	 * transaction does.
	 */
	static final class ChaosRecorder implements DisposableBean {

		private final HikariDataSource dataSource;

		private final JdbcClient jdbc;

		private final String schema;

		private final String worker;

		private final @Nullable Path entries;

		/**
		 * @param entries where each handler's entry is also appended, before its record in the database:
		 * the file's writes are in the operating system's cache once made, so a JVM killed after one keeps
		 * it, and a record the database lost (a connection cut, a crash) still shows that the handler ran
		 */
		ChaosRecorder(String url, String schema, String worker, @Nullable Path entries) {
			this.entries = entries;
			this.dataSource = new HikariDataSource();
			this.dataSource.setJdbcUrl(url);
			this.dataSource.setUsername("postgres");
			this.dataSource.setMaximumPoolSize(4);
			this.dataSource.setConnectionTimeout(2000);
			this.dataSource.setPoolName("chaos-recorder");
			this.jdbc = JdbcClient.create(this.dataSource);
			this.schema = schema;
			this.worker = worker;
		}

		/**
		 * Records that a handler started an attempt; retried for a while (the database may be
		 * restarting), since a start that is not on record would look like a job never run.
		 * @return how many starts of this job were on record before
		 */
		long started(JobContext ctx, String kind) {
			if (this.entries != null) {
				appendEntry(ctx, kind);
			}
			Instant deadline = Instant.now().plusSeconds(30);
			while (true) {
				try {
					return this.jdbc.sql("INSERT INTO " + this.schema + ".chaos_execution (job_id, attempt, kind, worker)"
							+ " VALUES (:job, :attempt, :kind, :worker) RETURNING (SELECT count(*) FROM " + this.schema
							+ ".chaos_execution WHERE job_id = :job)")
						.param("job", ctx.jobId().value())
						.param("attempt", ctx.attempt())
						.param("kind", kind)
						.param("worker", this.worker)
						.query(Long.class)
						.single();
				}
				catch (RuntimeException ex) {
					if (Instant.now().isAfter(deadline)) {
						throw ex;
					}
					sleep(Duration.ofMillis(250));
				}
			}
		}

		private synchronized void appendEntry(JobContext ctx, String kind) {
			String line = ctx.jobId().value() + " " + ctx.attempt() + " " + kind + " " + this.worker + "\n";
			try {
				Files.writeString(this.entries, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not append the entry of job " + ctx.jobId(), ex);
			}
		}

		/** The external effect of a job's step: not retried, an effect done twice must show. */
		void effect(JobContext ctx, String step) {
			this.jdbc.sql("INSERT INTO " + this.schema + ".chaos_effect (job_id, step, worker) VALUES (:job, :step, :worker)")
				.param("job", ctx.jobId().value())
				.param("step", step)
				.param("worker", this.worker)
				.update();
		}

		/** Records a fault a handler is about to inject (best effort: only the run's figures use it). */
		void fault(JobContext ctx, String fault) {
			try {
				this.jdbc.sql("INSERT INTO " + this.schema + ".chaos_fault (job_id, attempt, fault) VALUES (:job, :attempt, :fault)")
					.param("job", ctx.jobId().value())
					.param("attempt", ctx.attempt())
					.param("fault", fault)
					.update();
			}
			catch (RuntimeException ex) {
				// the database is away: the fault happens unrecorded
			}
		}

		@Override
		public void destroy() {
			this.dataSource.close();
		}

		private static void sleep(Duration duration) {
			try {
				Thread.sleep(duration.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
		}

	}

}
