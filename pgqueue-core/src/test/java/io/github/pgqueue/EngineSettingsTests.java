package io.github.pgqueue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EngineSettingsTests {

	@Test
	void defaultsAreThoseOfTheDesign() {
		EngineSettings settings = EngineSettings.builder().build();
		assertThat(settings.schema()).isEqualTo("public");
		assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.reaperInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.priorityAging()).isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.maxPayloadSize()).isEqualTo(1024 * 1024);
		assertThat(settings.retry()).isEqualTo(new RetrySettings(25, Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 0.2));
		assertThat(settings.retention())
			.isEqualTo(new RetentionSettings(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7)));
		assertThat(settings.queues()).containsOnlyKeys("default");
		assertThat(settings.queue("default").concurrency()).isEqualTo(10);
		assertThat(settings.workerId()).contains("-" + ProcessHandle.current().pid() + "-");
	}

	@Test
	void rejectsABadValueNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.builder().schema("bad-schema").build())
			.withMessageContaining("schema");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EngineSettings.builder().leaseDuration(Duration.ofSeconds(-1)).build())
			.withMessageContaining("lease-duration");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EngineSettings.builder().heartbeatInterval(Duration.ofSeconds(30)).build())
			.withMessageContaining("heartbeat-interval");
		assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.builder().pollInterval(Duration.ZERO).build())
			.withMessageContaining("poll-interval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EngineSettings.builder().shutdownTimeout(Duration.ofSeconds(-5)).build())
			.withMessageContaining("shutdown-timeout");
		assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.builder().maxPayloadSize(0).build())
			.withMessageContaining("max-payload-size");
		assertThatIllegalArgumentException().isThrownBy(() -> QueueSettings.of("emails", 0))
			.withMessageContaining("queues.emails.concurrency");
		assertThatIllegalArgumentException().isThrownBy(() -> new QueueSettings("emails", 1, -1, false))
			.withMessageContaining("queues.emails.max-backlog");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings(0, Duration.ofSeconds(1), 2, Duration.ofHours(1), 0.2))
			.withMessageContaining("retry.max-attempts");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings(1, Duration.ofSeconds(1), 0.5, Duration.ofHours(1), 0.2))
			.withMessageContaining("retry.multiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings(1, Duration.ofSeconds(1), 2, Duration.ofHours(1), 1.5))
			.withMessageContaining("retry.jitter");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings(1, Duration.ofHours(2), 2, Duration.ofHours(1), 0.2))
			.withMessageContaining("retry.max-backoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetentionSettings(Duration.ofHours(-1), Duration.ZERO, Duration.ZERO))
			.withMessageContaining("retention.completed");
	}

	@Test
	void anUnconfiguredQueueRunsOneAtATimeWithNoBacklogLimit() {
		QueueSettings queue = EngineSettings.builder().build().queue("elsewhere");
		assertThat(queue.concurrency()).isEqualTo(1);
		assertThat(queue.hasBacklogLimit()).isFalse();
	}

}
