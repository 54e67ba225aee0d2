package io.github.pgqueue.samples.jobservice.database;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerProbeTests {

	@Test
	void withoutAnySignOfDockerTestcontainersIsNotAsked() {
		AtomicBoolean asked = new AtomicBoolean();
		DockerProbe probe = new DockerProbe(Map.of("HOME", "/home/u")::get, (path) -> false, () -> {
			asked.set(true);
			return true;
		});
		assertThat(probe.probe()).isFalse();
		assertThat(asked).isFalse();
	}

	@Test
	void aDockerSocketInTheHomeFolderMakesItAskTestcontainers() {
		DockerProbe probe = new DockerProbe(Map.of("HOME", "/home/u")::get,
				(path) -> path.equals(Path.of("/home/u/.docker/run/docker.sock")), () -> true);
		assertThat(probe.probe()).isTrue();
	}

	@Test
	void dockerHostMakesItAskTestcontainersWhichMayStillSayNo() {
		DockerProbe probe = new DockerProbe(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")::get, (path) -> false,
				() -> false);
		assertThat(probe.mightHaveDocker()).isTrue();
		assertThat(probe.probe()).isFalse();
	}

	@Test
	void aFailingTestcontainersCheckCountsAsNoDocker() {
		DockerProbe probe = new DockerProbe(Map.<String, String>of()::get,
				(path) -> path.equals(Path.of("/var/run/docker.sock")), () -> {
					throw new NoClassDefFoundError("org/testcontainers/DockerClientFactory");
				});
		assertThat(probe.probe()).isFalse();
	}

}
