package io.github.pgqueue.samples.jobservice.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, asked cheaply and never failing: Testcontainers (whose own check
 * can take seconds and logs errors when there is no engine) is asked only when something suggests an
 * engine (a {@code DOCKER_HOST}, a Docker socket in one of the usual places, a
 * {@code ~/.testcontainers.properties}, or Windows); any failure counts as "no Docker". The answer is
 * kept for the life of the JVM.
 */
public final class DockerProbe {

	private static volatile @Nullable Boolean available;

	private final Function<String, @Nullable String> environment;

	private final Predicate<Path> exists;

	private final BooleanSupplier testcontainers;

	DockerProbe(Function<String, @Nullable String> environment, Predicate<Path> exists, BooleanSupplier testcontainers) {
		this.environment = environment;
		this.exists = exists;
		this.testcontainers = testcontainers;
	}

	/** @return whether a Docker engine answers on this machine; probed once per JVM */
	public static boolean isDockerAvailable() {
		Boolean answer = available;
		if (answer == null) {
			answer = new DockerProbe(System::getenv, Files::exists, DockerProbe::askTestcontainers).probe();
			available = answer;
		}
		return answer;
	}

	boolean probe() {
		if (!mightHaveDocker()) {
			return false;
		}
		try {
			return this.testcontainers.getAsBoolean();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	boolean mightHaveDocker() {
		if (hasText(this.environment.apply("DOCKER_HOST"))
				|| System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
			return true;
		}
		return candidates().stream().anyMatch(this.exists);
	}

	private List<Path> candidates() {
		List<Path> candidates = new ArrayList<>(List.of(Path.of("/var/run/docker.sock"), Path.of("/run/docker.sock")));
		String home = this.environment.apply("HOME");
		if (hasText(home)) {
			for (String socket : List.of(".docker/run/docker.sock", ".docker/desktop/docker.sock",
					".colima/default/docker.sock", ".colima/docker.sock", ".rd/docker.sock", ".orbstack/run/docker.sock",
					".testcontainers.properties")) {
				candidates.add(Path.of(home, socket));
			}
		}
		String runtime = this.environment.apply("XDG_RUNTIME_DIR");
		if (hasText(runtime)) {
			candidates.add(Path.of(runtime, "docker.sock"));
		}
		return candidates;
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	private static boolean askTestcontainers() {
		return DockerClientFactory.instance().isDockerAvailable();
	}

}
