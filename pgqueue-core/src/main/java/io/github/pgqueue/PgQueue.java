package io.github.pgqueue;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import io.github.pgqueue.admin.DefaultJobOperations;
import io.github.pgqueue.enqueue.DefaultJobQueue;
import io.github.pgqueue.observation.JobObservations;
import io.micrometer.observation.ObservationRegistry;
import io.github.pgqueue.execute.HandlerRegistration;
import io.github.pgqueue.execute.HandlerRegistry;
import io.github.pgqueue.execute.SynchronousRunner;
import io.github.pgqueue.node.Worker;
import io.github.pgqueue.schedule.PeriodicScheduler;
import io.github.pgqueue.schema.SchemaMigrator;
import io.github.pgqueue.store.JobStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * pgqueue without Spring Boot: a {@link JobQueue} to produce jobs, {@link JobOperations} to inspect
 * and operate them, and, when handlers are registered, a worker to run them.
 * <p>
 * The one class of the root package that wires the internals together (through
 * {@code io.github.pgqueue.node}); everything else here is the API those internals implement.
 *
 * <pre>{@code
 * PgQueue pgQueue = PgQueue.builder(dataSource)
 *     .settings(EngineSettings.builder().queue(QueueSettings.of("default", 8)).build())
 *     .handler("send-email", SendEmail.class, (email, ctx) -> mailer.send(email))
 *     .build();
 * pgQueue.migrate();          // needs liquibase-core; or apply the SQL files yourself
 * pgQueue.start();
 * pgQueue.jobQueue().enqueue(new SendEmail("a@b.c", "Welcome"));
 * pgQueue.stop();             // graceful: see Worker
 * }</pre>
 */
public final class PgQueue implements AutoCloseable {

	private final DataSource dataSource;

	private final EngineSettings settings;

	private final JobStore store;

	private final DefaultJobQueue jobQueue;

	private final DefaultJobOperations jobOperations;

	private final Worker worker;

	private final List<HandlerRegistration> handlers;

	private final JsonMapper json;

	private PgQueue(Builder builder) {
		this.dataSource = builder.dataSource;
		this.settings = builder.settings;
		this.store = new JobStore(builder.dataSource, builder.settings.schema(), builder.json);
		this.handlers = List.copyOf(builder.handlers);
		this.json = builder.json;
		JobObservations observations = new JobObservations(builder.observationRegistry, builder.enqueueConvention,
				builder.executeConvention);
		this.jobQueue = new DefaultJobQueue(this.store, builder.json, builder.settings, builder.listener,
				observations);
		this.jobOperations = new DefaultJobOperations(this.store);
		this.worker = new Worker(builder.dataSource, this.store, builder.json, builder.settings,
				new HandlerRegistry(builder.handlers), builder.executorFactory, builder.listener);
		this.worker.setObservations(observations);
		this.jobQueue.setLocalWorker(this.worker::wakeUpFor);
		this.worker.setPeriodicScheduler(new PeriodicScheduler(builder.dataSource, this.store.periodic(),
				this.jobQueue, builder.periodicJobs));
	}

	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	/** Applies the bundled schema changelog (idempotent). Needs {@code liquibase-core}. */
	public void migrate() {
		new SchemaMigrator(this.dataSource, this.settings.schema()).migrate();
	}

	public JobQueue jobQueue() {
		return this.jobQueue;
	}

	public JobOperations jobOperations() {
		return this.jobOperations;
	}

	/** @return this node's worker id, stored as the lease owner of the jobs it runs */
	public String workerId() {
		return this.worker.workerId();
	}

	/** @return whether the worker runs: between {@link #start()} and {@link #stop()} */
	public boolean isRunning() {
		return this.worker.isRunning();
	}

	/** @return whether the worker holds a LISTENing connection now, to be woken by enqueues at once */
	public boolean isListening() {
		return this.worker.isListening();
	}

	/**
	 * For the test kit ({@code pgqueue-test}) only: runs this instance's due jobs with its handlers on
	 * the calling thread, through the engine's own statements. Works whether or not {@link #start()}
	 * was called; a test that drains should not start the worker, which would race it for the jobs.
	 * @return a runner over this instance's schema and handlers
	 */
	public SynchronousRunner synchronousRunner() {
		return new SynchronousRunner(this.store, () -> this.handlers, this.json, this.settings);
	}

	/** The store, for this package's tests. */
	JobStore store() {
		return this.store;
	}

	/** The worker, for this package's tests. */
	Worker worker() {
		return this.worker;
	}

	public EngineSettings settings() {
		return this.settings;
	}

	/** Starts the worker. */
	public void start() {
		this.worker.start();
	}

	/** Stops the worker gracefully. */
	public void stop() {
		this.worker.stop();
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * A handler for one kind, as a function.
	 *
	 * @param <T> the payload type
	 */
	@FunctionalInterface
	public interface Handler<T> {

		void handle(T payload, JobContext context) throws Exception;

	}

	/** Builds a {@link PgQueue}. */
	public static final class Builder {

		private final DataSource dataSource;

		private EngineSettings settings = EngineSettings.builder().build();

		private JsonMapper json = JsonMapper.builder().findAndAddModules().build();

		private JobListener listener = new JobListener() {
		};

		private ExecutorFactory executorFactory = ExecutorFactory.platformThreads();

		private final List<HandlerRegistration> handlers = new ArrayList<>();

		private final List<PeriodicJob> periodicJobs = new ArrayList<>();

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @org.jspecify.annotations.Nullable EnqueueObservationConvention enqueueConvention;

		private @org.jspecify.annotations.Nullable ExecuteObservationConvention executeConvention;

		private Builder(DataSource dataSource) {
			this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		}

		public Builder settings(EngineSettings settings) {
			this.settings = Objects.requireNonNull(settings, "settings");
			return this;
		}

		public Builder jsonMapper(JsonMapper json) {
			this.json = Objects.requireNonNull(json, "json");
			return this;
		}

		public Builder listener(JobListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/**
		 * Observes enqueues ({@code pgqueue.enqueue}) and handlers' runs ({@code pgqueue.execute});
		 * {@link ObservationRegistry#NOOP}, observing nothing, unless given.
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/** Replaces the default conventions of the observations; {@code null} keeps the default. */
		public Builder observationConventions(
				@org.jspecify.annotations.Nullable EnqueueObservationConvention enqueueConvention,
				@org.jspecify.annotations.Nullable ExecuteObservationConvention executeConvention) {
			this.enqueueConvention = enqueueConvention;
			this.executeConvention = executeConvention;
			return this;
		}

		public Builder executorFactory(ExecutorFactory executorFactory) {
			this.executorFactory = Objects.requireNonNull(executorFactory, "executorFactory");
			return this;
		}

		/** Registers a handler for a kind, reading payloads as {@code payloadType}. */
		@SuppressWarnings("unchecked")
		public <T> Builder handler(String kind, Class<T> payloadType, Handler<? super T> handler) {
			return handler(kind, (Type) payloadType, (payload, context) -> handler.handle((T) payload, context));
		}

		/** Registers a handler for the kind named by the payload type's {@link Job}. */
		public <T> Builder handler(Class<T> payloadType, Handler<? super T> handler) {
			String kind = JobKinds.kindOf(payloadType).orElseThrow(() -> new IllegalArgumentException(
					"payload type " + payloadType.getName() + " has no @Job annotation: pass the kind explicitly"));
			return handler(kind, payloadType, handler);
		}

		/**
		 * Registers a handler for a kind with a job timeout of its own: an attempt running longer has
		 * its thread interrupted and fails with an error saying it timed out.
		 */
		@SuppressWarnings("unchecked")
		public <T> Builder handler(String kind, Class<T> payloadType, java.time.Duration timeout,
				Handler<? super T> handler) {
			Objects.requireNonNull(timeout, "timeout");
			return handler(kind, (Type) payloadType, timeout, (payload, context) -> handler.handle((T) payload, context));
		}

		private Builder handler(String kind, Type payloadType, Handler<Object> handler) {
			return handler(kind, payloadType, null, handler);
		}

		private Builder handler(String kind, Type payloadType, java.time.@org.jspecify.annotations.Nullable Duration timeout,
				Handler<Object> handler) {
			this.handlers.add(new HandlerRegistration(kind, payloadType, handler::handle,
					"handler for '" + kind + "'", timeout));
			return this;
		}

		/** Enqueues a job on every tick of its schedule, exactly once per tick across all nodes. */
		public Builder periodic(PeriodicJob periodicJob) {
			this.periodicJobs.add(Objects.requireNonNull(periodicJob, "periodicJob"));
			return this;
		}

		public PgQueue build() {
			return new PgQueue(this);
		}

	}

}
