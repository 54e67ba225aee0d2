package io.github.pgqueue.autoconfigure.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.pgqueue.ExecutorFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Reads from the database on a thread of its own and waits for the answer no longer than its timeout,
 * so that a health check answers within that bound whatever the pool does while the database is away
 * (waiting out its connection timeout, or a read on a dead socket). A read still in flight is joined,
 * not doubled: while the database does not answer, at most {@value #MAX_IN_FLIGHT} reads wait on it,
 * and one is given up on (left to end by itself) once it has waited {@link #abandonAfter}.
 *
 * @param <T> what a read returns
 */
final class DatabaseProbe<T> implements AutoCloseable {

	static final int MAX_IN_FLIGHT = 4;

	private final Supplier<T> read;

	private final Duration timeout;

	private final Duration abandonAfter;

	private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, MAX_IN_FLIGHT, 60, TimeUnit.SECONDS,
			new SynchronousQueue<>(), ExecutorFactory.threadFactory("pgqueue-health-"));

	private @Nullable InFlight<T> latest;

	DatabaseProbe(Supplier<T> read, Duration timeout) {
		this(read, timeout, max(timeout.multipliedBy(20), Duration.ofSeconds(10)));
	}

	DatabaseProbe(Supplier<T> read, Duration timeout, Duration abandonAfter) {
		this.read = read;
		this.timeout = timeout;
		this.abandonAfter = abandonAfter;
	}

	/** @return the database's answer, or why there is none, within the timeout */
	Outcome<T> read() {
		InFlight<T> inFlight = inFlight();
		if (inFlight == null) {
			return Outcome.failed(MAX_IN_FLIGHT + " reads are still waiting for the database");
		}
		try {
			return Outcome.answered(inFlight.answer().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			return Outcome.failed("no answer within " + this.timeout + " (a read has waited "
					+ Duration.ofNanos(System.nanoTime() - inFlight.startedNanos()).toMillis() + " ms)");
		}
		catch (ExecutionException ex) {
			// the driver's own words, not the statement Spring wraps them with
			Throwable cause = NestedExceptionUtils.getMostSpecificCause((ex.getCause() != null) ? ex.getCause() : ex);
			return Outcome.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Outcome.failed("interrupted while waiting for the database");
		}
	}

	private synchronized @Nullable InFlight<T> inFlight() {
		InFlight<T> latest = this.latest;
		if (latest != null && !latest.answer().isDone()
				&& System.nanoTime() - latest.startedNanos() < this.abandonAfter.toNanos()) {
			return latest;
		}
		CompletableFuture<T> answer = new CompletableFuture<>();
		try {
			this.executor.execute(() -> {
				try {
					answer.complete(this.read.get());
				}
				catch (Throwable ex) {
					answer.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
		InFlight<T> started = new InFlight<>(answer, System.nanoTime());
		this.latest = started;
		return started;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private record InFlight<T>(CompletableFuture<T> answer, long startedNanos) {
	}

	/**
	 * A read's outcome: its value, or why there is none.
	 *
	 * @param value the answer, when there is one
	 * @param failure why there is none, otherwise
	 */
	record Outcome<T>(@Nullable T value, @Nullable String failure) {

		static <T> Outcome<T> answered(T value) {
			return new Outcome<>(value, null);
		}

		static <T> Outcome<T> failed(String failure) {
			return new Outcome<>(null, failure);
		}

	}

}
