package io.github.pgqueue.autoconfigure.handler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.autoconfigure.PgQueueAutoConfiguration;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler on a {@code @Lazy} bean is found from the bean's definition; the bean is created when its
 * first job runs, not at startup.
 */
class LazyJobHandlerTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PgQueueAutoConfiguration.class))
		.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
		.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.poll-interval=100ms")
		.withUserConfiguration(LazyHandlerConfiguration.class);

	@Test
	void runsTheJobsOfAHandlerOnALazyBeanCreatingTheBeanForTheFirstJob() {
		LazyHandlers.created.set(0);
		LazyHandlers.handled.set(0);
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(LazyHandlers.created).hasValue(0);
			JobQueue jobQueue = context.getBean(JobQueue.class);
			JobId id = jobQueue.enqueue("lazy-work", Map.of("n", 1));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> jobQueue.find(id).orElseThrow().state() == JobState.COMPLETED);
			assertThat(LazyHandlers.created).hasValue(1);
			assertThat(LazyHandlers.handled).hasValue(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class LazyHandlerConfiguration {

		@Bean
		@Lazy
		LazyHandlers lazyHandlers() {
			return new LazyHandlers();
		}

	}

	static class LazyHandlers {

		static final AtomicInteger created = new AtomicInteger();

		static final AtomicInteger handled = new AtomicInteger();

		LazyHandlers() {
			created.incrementAndGet();
		}

		@JobHandler("lazy-work")
		void handle(Map<String, Object> payload) {
			handled.incrementAndGet();
		}

	}

}
