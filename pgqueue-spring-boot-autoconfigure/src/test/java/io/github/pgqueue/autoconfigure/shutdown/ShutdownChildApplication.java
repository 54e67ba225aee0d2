package io.github.pgqueue.autoconfigure.shutdown;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * A Spring Boot application in a JVM of its own, for tests that stop it with SIGTERM. Its handler
 * for {@code long} runs until interrupted. Arguments are Spring Boot command-line properties; every
 * timeout not given keeps its default.
 */
@SpringBootApplication
public class ShutdownChildApplication {

	public static final String READY = "SHUTDOWN-CHILD-READY";

	public static void main(String[] args) throws InterruptedException {
		SpringApplication.run(ShutdownChildApplication.class, args);
		System.out.println(READY);
		System.out.flush();
		// a worker-only application: the main thread keeps the JVM up until SIGTERM
		new CountDownLatch(1).await();
	}

	@Component
	static class LongJobs {

		private final CountDownLatch never = new CountDownLatch(1);

		@JobHandler("long")
		void run(String payload, JobContext ctx) throws InterruptedException {
			System.out.println("STARTED " + ctx.jobId().value());
			System.out.flush();
			this.never.await(10, TimeUnit.MINUTES);
		}

	}

}
