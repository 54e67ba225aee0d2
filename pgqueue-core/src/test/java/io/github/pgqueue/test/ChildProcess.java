package io.github.pgqueue.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A JVM started from the test's own class path, whose output lines a test can wait for, and which
 * it can kill with SIGKILL ({@code kill -9}: no shutdown hook, no graceful stop).
 */
public final class ChildProcess implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private ChildProcess(Process process) {
		this.process = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process died
			}
		}, "child-output");
		reader.setDaemon(true);
		reader.start();
	}

	public static ChildProcess start(Class<?> mainClass, String... args) {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp",
				System.getProperty("java.class.path"), mainClass.getName()));
		command.addAll(List.of(args));
		try {
			return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start " + mainClass.getName(), ex);
		}
	}

	/** Waits until the child prints the line (or fails, showing what it printed). */
	public void awaitLine(String line, Duration timeout) {
		await().atMost(timeout)
			.alias("child printing " + line + "; it printed: " + this.lines)
			.until(() -> this.lines.contains(line));
	}

	/** Sends SIGKILL and waits for the process to be gone. */
	public void kill9() {
		try {
			Process kill = new ProcessBuilder("kill", "-9", Long.toString(this.process.pid())).start();
			kill.waitFor();
			this.process.waitFor();
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Sends SIGTERM, as an orchestrator stopping the process does. */
	public void sigterm() {
		this.process.destroy();
	}

	/** @return whether the process exited within the timeout */
	public boolean waitFor(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	/** @return what the process printed so far */
	public List<String> lines() {
		return List.copyOf(this.lines);
	}

	public int exitValue() {
		return this.process.exitValue();
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
