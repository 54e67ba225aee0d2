package io.github.pgqueue.execute;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.pgqueue.lease.InFlightJob;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch writer settles every write it is handed, so that a handler's thread waiting for its
 * start (uninterruptibly) is never left waiting: a write handed over after the writer stopped is
 * given up at once.
 */
class BatchWriterTests {

	private final List<String> written = new CopyOnWriteArrayList<>();

	private final Map<String, String> givenUp = new ConcurrentHashMap<>();

	private final BatchWriter<Write> writer = new BatchWriter<>("test", new BatchWriter.Sink<>() {

		@Override
		public void write(List<Write> batch, boolean retry) {
			batch.forEach((write) -> BatchWriterTests.this.written.add(write.name()));
		}

		@Override
		public void giveUp(Write write, RuntimeException cause) {
			BatchWriterTests.this.givenUp.put(write.name(), cause.getMessage());
		}

	});

	@Test
	void writesWhatIsHandedOverWhileItRuns() {
		this.writer.start();
		this.writer.submit(new Write("a"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.written.contains("a"));
		this.writer.stop(System.nanoTime() + Duration.ofSeconds(5).toNanos());
		assertThat(this.givenUp).isEmpty();
	}

	@Test
	void givesUpAtOnceAWriteHandedOverAfterItStopped() {
		this.writer.start();
		this.writer.stop(System.nanoTime() + Duration.ofSeconds(5).toNanos());
		this.writer.submit(new Write("late"));
		assertThat(this.givenUp).containsEntry("late", "the test writer has stopped");
		assertThat(this.written).isEmpty();
	}

	record Write(String name) implements BatchWriter.Item {

		@Override
		public InFlightJob job() {
			throw new UnsupportedOperationException("only a failed write asks for its job");
		}

	}

}
