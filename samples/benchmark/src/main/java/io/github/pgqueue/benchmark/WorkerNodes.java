package io.github.pgqueue.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobListener;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;

/**
 * Worker nodes in JVMs of their own, draining one database together: the parent starts them, fills the job
 * table, tells every node to start at once and times until the nodes' completions add up to the jobs. One node
 * is measured the same way, so that the two figures differ only in the node count.
 * <p>
 * Protocol: a node reads {@code start} and {@code stop} lines on its standard input and answers {@code ready},
 * {@code completed <count>} (whenever its count moved, every 2 ms at most) and {@code stopped} on its standard
 * output.
 */
final class WorkerNodes implements AutoCloseable {

	/** The node's own pool: a claim, a completion, the heartbeat, LISTEN and the reaper, with room to spare. */
	private static final int NODE_POOL = 12;

	private final List<Node> nodes = new ArrayList<>();

	private WorkerNodes(List<Node> nodes) {
		this.nodes.addAll(nodes);
	}

	/** Starts the node JVMs and waits until each is ready (its JVM up and connected). */
	static WorkerNodes start(int count, String url, String schema, int concurrency) throws IOException, InterruptedException {
		List<Node> nodes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			nodes.add(new Node(nodeCommand(url, schema, concurrency)));
		}
		WorkerNodes workerNodes = new WorkerNodes(nodes);
		for (Node node : nodes) {
			node.await("ready");
		}
		return workerNodes;
	}

	/**
	 * Starts every node at once and waits until they completed {@code jobs} jobs between them.
	 * @return jobs per second, from the start command to the last completion written
	 */
	double drain(int jobs) throws IOException, InterruptedException {
		for (Node node : this.nodes) {
			node.completed.set(0);
		}
		long start = System.nanoTime();
		for (Node node : this.nodes) {
			node.send("start");
		}
		long deadline = start + TimeUnit.MINUTES.toNanos(10);
		while (this.nodes.stream().mapToLong((node) -> node.completed.get()).sum() < jobs) {
			if (System.nanoTime() > deadline || this.nodes.stream().anyMatch((node) -> !node.process.isAlive())) {
				throw new IllegalStateException("the worker nodes did not finish the drain");
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
		double rate = jobs / ((System.nanoTime() - start) / 1e9);
		for (Node node : this.nodes) {
			node.send("stop");
		}
		for (Node node : this.nodes) {
			node.await("stopped");
		}
		return rate;
	}

	/** @return the CPU the node JVMs have used so far, all their threads (zero where the OS does not say) */
	java.time.Duration cpu() {
		return this.nodes.stream()
			.map((node) -> node.process.info().totalCpuDuration().orElse(java.time.Duration.ZERO))
			.reduce(java.time.Duration.ZERO, java.time.Duration::plus);
	}

	/**
	 * @return the CPU used so far by this machine's PostgreSQL processes (the server, its backends and
	 * background workers: every process running the {@code postgres} executable), or empty when the OS does not
	 * say (another user's processes, unless run as root or as that user)
	 */
	static java.util.Optional<java.time.Duration> postgresCpu() {
		return ProcessHandle.allProcesses()
			.filter((process) -> process.info().command().filter((command) -> command.endsWith("/postgres")).isPresent())
			.flatMap((process) -> process.info().totalCpuDuration().stream())
			.reduce(java.time.Duration::plus);
	}

	@Override
	public void close() throws IOException, InterruptedException {
		for (Node node : this.nodes) {
			node.process.getOutputStream().close();
		}
		for (Node node : this.nodes) {
			if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
				node.process.destroy();
			}
		}
	}

	// The same JVM, with this JVM's options, running Benchmark in node mode.
	private static List<String> nodeCommand(String url, String schema, int concurrency) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		String classPath = System.getProperty("java.class.path");
		if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
			command.addAll(List.of("-jar", classPath));
		}
		else {
			command.addAll(List.of("-cp", classPath, Benchmark.class.getName()));
		}
		command.addAll(List.of("--node", schema, "--url", url, "--concurrency", String.valueOf(concurrency)));
		return command;
	}

	private static final class Node {

		private final Process process;

		private final Writer stdin;

		private final AtomicLong completed = new AtomicLong();

		private final List<String> events = new ArrayList<>();

		Node(List<String> command) throws IOException {
			this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			this.stdin = new java.io.OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
			Thread reader = new Thread(this::read, "node-output");
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			try (BufferedReader out = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = out.readLine(); line != null; line = out.readLine()) {
					if (line.startsWith("completed ")) {
						this.completed.set(Long.parseLong(line.substring("completed ".length())));
					}
					else if (line.equals("ready") || line.equals("stopped")) {
						synchronized (this.events) {
							this.events.add(line);
							this.events.notifyAll();
						}
					}
					else {
						System.out.println("  [node " + this.process.pid() + "] " + line);
					}
				}
			}
			catch (IOException ex) {
				// the node is gone: drain() sees it dead
			}
		}

		void send(String command) throws IOException {
			this.stdin.write(command + "\n");
			this.stdin.flush();
		}

		void await(String event) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			synchronized (this.events) {
				while (!this.events.remove(event)) {
					long left = deadline - System.nanoTime();
					if (left <= 0 || !this.process.isAlive()) {
						throw new IllegalStateException("worker node " + this.process.pid() + " never said " + event);
					}
					this.events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
				}
			}
		}

	}

	/**
	 * The node's side: one {@link PgQueue} per {@code start}, stopped at {@code stop}, its completions counted
	 * and reported on standard output.
	 */
	static void runNode(String url, String schema, int concurrency) throws Exception {
		PrintStream out = System.out;
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(url);
			dataSource.setMaximumPoolSize(NODE_POOL);
			AtomicLong completed = new AtomicLong();
			Function<AtomicLong, PgQueue> pgQueue = (counter) -> PgQueue.builder(dataSource)
				.settings(EngineSettings.builder().schema(schema).queue(QueueSettings.of("default", concurrency)).build())
				.handler("noop", Long.class, (payload, ctx) -> {
				})
				.listener(new JobListener() {
					@Override
					public void onCompleted(String queue, String kind, Duration execution) {
						counter.incrementAndGet();
					}
				})
				.build();
			dataSource.getConnection().close();
			out.println("ready");
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if (line.equals("start")) {
					completed.set(0);
					PgQueue node = pgQueue.apply(completed);
					CountDownLatch stop = new CountDownLatch(1);
					Thread reporter = reporter(completed, stop, out);
					node.start();
					if (!"stop".equals(in.readLine())) {
						throw new IllegalStateException("expected stop after start");
					}
					node.stop();
					stop.countDown();
					reporter.join();
					out.println("stopped");
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Thread reporter(AtomicLong completed, CountDownLatch stop, PrintStream out) {
		Thread reporter = new Thread(() -> {
			long reported = -1;
			try {
				do {
					long now = completed.get();
					if (now != reported) {
						out.println("completed " + now);
						out.flush();
						reported = now;
					}
				}
				while (!stop.await(2, TimeUnit.MILLISECONDS));
				out.println("completed " + completed.get());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "node-reporter");
		reporter.start();
		return reporter;
	}

}
