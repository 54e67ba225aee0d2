package io.github.pgqueue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.pgqueue.reaper.JobRescuer;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.test.StallableDataSource;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose heartbeat stops loses its job to another worker once the lease expires, and its
 * late writes are rejected and counted.
 */
class LeaseFencingIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final CountDownLatch zombieStarted = new CountDownLatch(1);

	private final CountDownLatch zombieMayFinish = new CountDownLatch(1);

	private final AtomicInteger zombieSideEffects = new AtomicInteger();

	private final AtomicInteger rescuerRuns = new AtomicInteger();

	private volatile Throwable zombieRunOnceError;

	// the heartbeat runs on these threads: refused connections there, it stops renewing as a stalled node does
	private static final String HEARTBEAT_THREADS = "pgqueue-heartbeat-";

	private StallableDataSource zombieDataSource;

	private PgQueue zombie;

	private PgQueue rescuer;

	@BeforeEach
	void clean() {
		db.deleteAllJobs();
		this.zombieDataSource = new StallableDataSource(db.dataSource());
	}

	@AfterEach
	void tearDown() {
		this.zombieMayFinish.countDown();
		this.zombieDataSource.resume();
		if (this.zombie != null) {
			this.zombie.stop();
		}
		if (this.rescuer != null) {
			this.rescuer.stop();
		}
	}

	@Test
	void aWorkerWhoseHeartbeatStopsLosesItsJobAndItsLateCompletionIsRejected() throws Exception {
		this.zombie = PgQueue.builder(this.zombieDataSource)
			.settings(db.settings()
				.workerId("zombie")
				.leaseDuration(Duration.ofMillis(1500))
				.heartbeatInterval(Duration.ofMillis(200))
				// its own reaper must not be the one to rescue: the other worker's is
				.reaperInterval(Duration.ofHours(1))
				// its one slot stays taken by the stuck handler, so it cannot claim the job again
				.queue(QueueSettings.of("default", 1))
				.build())
			.handler("work", String.class, (payload, ctx) -> {
				this.zombieStarted.countDown();
				this.zombieMayFinish.await(30, TimeUnit.SECONDS);
				try {
					ctx.runOnce("effect", this.zombieSideEffects::incrementAndGet);
				}
				catch (Throwable ex) {
					this.zombieRunOnceError = ex;
				}
			})
			.build();
		JobId id = this.zombie.jobQueue().enqueue("work", "x");
		this.zombie.start();
		assertThat(this.zombieStarted.await(10, TimeUnit.SECONDS)).isTrue();
		// the lease survives several heartbeats while the worker is healthy
		java.time.Instant firstExpiry = leaseExpiresAt(id);
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseExpiresAt(id).isAfter(firstExpiry));

		this.zombieDataSource.stall(HEARTBEAT_THREADS);
		awaitLeaseExpired(id);

		this.rescuer = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("rescuer").queue(QueueSettings.of("default", 2)).build())
			.handler("work", String.class, (payload, ctx) -> this.rescuerRuns.incrementAndGet())
			.build();
		this.rescuer.start();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rescuer.jobQueue().find(id).orElseThrow().state() == JobState.COMPLETED);
		JobInfo job = this.rescuer.jobQueue().find(id).orElseThrow();
		assertThat(job.attempt()).isEqualTo(2);
		assertThat(job.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("lease expired").contains("zombie"));
		assertThat(this.rescuerRuns).hasValue(1);

		// the zombie wakes up: its side effect is refused and its completion rejected and counted
		this.zombieMayFinish.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.zombie.worker().stats().rejectedWrites() == 1);
		assertThat(this.zombie.worker().stats().leasesLost()).isEqualTo(1);
		assertThat(this.zombie.worker().stats().completed()).isZero();
		assertThat(this.zombieRunOnceError).isInstanceOf(LeaseLostException.class);
		assertThat(this.zombieSideEffects).hasValue(0);
		JobInfo after = this.rescuer.jobQueue().find(id).orElseThrow();
		assertThat(after.state()).isEqualTo(JobState.COMPLETED);
		assertThat(after.attempt()).isEqualTo(2);
		assertThat(after.finalizedAt()).isEqualTo(job.finalizedAt());
	}

	@Test
	void theHeartbeatLearnsOfALostLeaseBeforeTheHandlerEnds() throws Exception {
		this.zombie = PgQueue.builder(this.zombieDataSource)
			.settings(db.settings()
				.workerId("slow")
				.leaseDuration(Duration.ofMillis(1000))
				.heartbeatInterval(Duration.ofMillis(100))
				.reaperInterval(Duration.ofHours(1))
				.build())
			.handler("work", String.class, (payload, ctx) -> {
				this.zombieStarted.countDown();
				this.zombieMayFinish.await(30, TimeUnit.SECONDS);
			})
			.build();
		JobId id = this.zombie.jobQueue().enqueue("work", "y");
		this.zombie.start();
		assertThat(this.zombieStarted.await(10, TimeUnit.SECONDS)).isTrue();
		this.zombieDataSource.stall(HEARTBEAT_THREADS);
		awaitLeaseExpired(id);
		this.zombieDataSource.resume();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.zombie.worker().stats().leasesLost() == 1);
		this.zombieMayFinish.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.zombie.worker().stats().rejectedWrites() == 1);
		assertThat(this.zombie.worker().stats().leasesLost()).as("counted once").isEqualTo(1);
		assertThat(this.zombie.jobQueue().find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
	}

	@Test
	void aWorkerThatLostItsLeaseInsideRunOnceCannotRecordTheEffect() throws Exception {
		this.zombie = PgQueue.builder(this.zombieDataSource)
			.settings(db.settings()
				.workerId("inside")
				.leaseDuration(Duration.ofMillis(1000))
				.heartbeatInterval(Duration.ofMillis(100))
				.reaperInterval(Duration.ofHours(1))
				.queue(QueueSettings.of("default", 1))
				.build())
			.handler("work", String.class, (payload, ctx) -> {
				try {
					ctx.runOnce("effect", () -> {
						this.zombieStarted.countDown();
						try {
							this.zombieMayFinish.await(30, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
						return this.zombieSideEffects.incrementAndGet();
					});
				}
				catch (Throwable ex) {
					// the first attempt's error; the next attempt then finds the effect in doubt
					if (this.zombieRunOnceError == null) {
						this.zombieRunOnceError = ex;
					}
					throw ex;
				}
			})
			.build();
		JobId id = this.zombie.jobQueue().enqueue("work", "z");
		this.zombie.start();
		assertThat(this.zombieStarted.await(10, TimeUnit.SECONDS)).isTrue();
		this.zombieDataSource.stall(HEARTBEAT_THREADS);
		awaitLeaseExpired(id);
		assertThat(new JobRescuer(new JobStore(db.dataSource(), db.schema(), JsonMapper.builder().build()).maintenance(),
				new io.github.pgqueue.retry.RetryPolicy(RetrySettings.defaults()), EngineSettings.MAINTENANCE_BATCH, new JobListener() {
				}).runOnce().rescued()).isEqualTo(1);
		// the node claims again once a heartbeat succeeds: then its next attempt finds the effect in doubt
		this.zombieDataSource.resume();

		this.zombieMayFinish.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.zombieRunOnceError != null);
		assertThat(this.zombieRunOnceError).isInstanceOf(LeaseLostException.class)
			.hasMessageContaining("cannot record the success of side effect 'effect'");
		assertThat(this.zombieSideEffects).as("the effect ran, but its success was not recorded").hasValue(1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.zombie.jobQueue().find(id).orElseThrow().state() == JobState.DEAD);
		JobInfo job = this.zombie.jobQueue().find(id).orElseThrow();
		assertThat(job.sideEffect("effect").orElseThrow().state()).isEqualTo(SideEffectState.IN_DOUBT);
		assertThat(this.zombieSideEffects).as("and was not run again").hasValue(1);
	}

	private static java.time.Instant leaseExpiresAt(JobId id) {
		return db.jdbc()
			.sql("SELECT lease_expires_at FROM " + db.jobTable() + " WHERE id = :id")
			.param("id", id.value())
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant();
	}

	private void awaitLeaseExpired(JobId id) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> db.jdbc()
				.sql("SELECT lease_expires_at < now() FROM " + db.jobTable() + " WHERE id = :id")
				.param("id", id.value())
				.query(Boolean.class)
				.single());
	}

}
