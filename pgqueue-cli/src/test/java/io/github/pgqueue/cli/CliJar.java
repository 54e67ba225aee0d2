package io.github.pgqueue.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built jar, run as a separate process ({@code java -jar target/pgqueue-cli.jar ...}) as an
 * operator runs it: its exit code, stdout and stderr.
 */
final class CliJar {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path jar;

	private CliJar(Path jar) {
		this.jar = jar;
	}

	/** @return the jar the build made; failsafe names it in {@code pgqueue.cli.jar} */
	static CliJar built() {
		Path jar = Path.of(System.getProperty("pgqueue.cli.jar", "target/pgqueue-cli.jar"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: build it with ./mvnw package"
					+ " (failsafe runs these tests after the package phase)");
		}
		return new CliJar(jar);
	}

	Result run(String... args) {
		return run(Map.of(), args);
	}

	Result run(Map<String, String> environment, String... args) {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		// a short-lived JVM: the C1 compiler alone starts it faster on a busy machine
		List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-jar",
				this.jar.toString()));
		command.addAll(List.of(args));
		try {
			Path out = Files.createTempFile("pgqueue-cli", ".out");
			Path err = Files.createTempFile("pgqueue-cli", ".err");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
					.redirectError(err.toFile());
				builder.environment().remove("PGQUEUE_URL");
				builder.environment().remove("PGPASSWORD");
				builder.environment().remove("PGUSER");
				builder.environment().putAll(environment);
				Process process = builder.start();
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("pgqueue-cli " + String.join(" ", args) + " ran over 60 s");
				}
				return new Result(String.join(" ", args), process.exitValue(),
						Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What one run did.
	 *
	 * @param args the arguments it ran with
	 * @param exitCode its exit code
	 * @param out what it printed on stdout
	 * @param err what it printed on stderr
	 */
	record Result(String args, int exitCode, String out, String err) {

		JsonNode json() {
			return JSON.readTree(this.out);
		}

		@Override
		public String toString() {
			return "pgqueue-cli " + this.args + " exited " + this.exitCode + "\n--- stdout\n" + this.out
					+ "--- stderr\n" + this.err;
		}

	}

}
