package io.github.pgqueue.guarantees;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobRequest;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches holding the same idempotency keys in different orders never deadlock each other.
 */
class EnqueueEdgesIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	@Test
	void batchesWithTheSameKeysInOppositeOrdersNeverDeadlock() throws Exception {
		db.deleteAllJobs();
		JobQueue jobs = PgQueue.builder(db.dataSource()).settings(db.settings().build()).build().jobQueue();
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
		for (int round = 0; round < 20; round++) {
			List<JobRequest> forward = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				forward.add(JobRequest.of("keyed", "p" + i,
						EnqueueOptions.builder().idempotencyKey("round-" + round + "-key-" + i).build()));
			}
			List<JobRequest> backward = new ArrayList<>(forward);
			Collections.reverse(backward);
			// each in a transaction that holds its keys a moment longer, as a caller's transaction does
			CompletableFuture<Void> a = CompletableFuture.runAsync(() -> tx.executeWithoutResult((s) -> {
				jobs.enqueueAll(forward);
				db.jdbc().sql("SELECT pg_sleep(0.02)").query(String.class).list();
			}));
			CompletableFuture<Void> b = CompletableFuture.runAsync(() -> tx.executeWithoutResult((s) -> {
				jobs.enqueueAll(backward);
				db.jdbc().sql("SELECT pg_sleep(0.02)").query(String.class).list();
			}));
			a.get(30, TimeUnit.SECONDS);
			b.get(30, TimeUnit.SECONDS);
		}
		assertThat(db.countJobs()).isEqualTo(20 * 50);
	}

	@Test
	void sideEffectKeysDifferBetweenInstallationsAndStayTheSameAcrossAttempts() {
		// the same job id and step in two schemas (two installations) must not give the same key
		List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
		PgQueue node = PgQueue.builder(db.dataSource())
			.settings(db.settings().workerId("keys").retry(new io.github.pgqueue.RetrySettings(3,
					Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 0.0)).build())
			.handler("effect", String.class, (payload, ctx) -> {
				keys.add(ctx.sideEffectKey("charge"));
				if (ctx.attempt() == 1) {
					throw new IllegalStateException("retry");
				}
			})
			.build();
		db.deleteAllJobs();
		long id = node.jobQueue().enqueue("effect", "x").value();
		node.start();
		try {
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> keys.size() == 2);
		}
		finally {
			node.stop();
		}
		assertThat(keys.get(0)).as("the key across attempts").isEqualTo(keys.get(1));
		assertThat(keys.get(0)).as("a key another installation could also give its job " + id)
			.isNotEqualTo("pgqueue-" + id + "-charge")
			.contains(Long.toString(id));
	}

}
