package io.github.pgqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.QueueSettings;
import io.github.pgqueue.RetentionSettings;
import io.github.pgqueue.RetrySettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link PgQueueProperties} into the engine's {@link EngineSettings}; an invalid value fails
 * with an {@link InvalidConfigurationPropertyValueException} naming the property, which Spring Boot's
 * failure analysis reports at startup.
 */
final class EngineSettingsFactory {

	private EngineSettingsFactory() {
	}

	/**
	 * The engine's settings, with the drain at shutdown fitted into Spring's shutdown phase: the
	 * worker stops inside its lifecycle's phase, and Spring closes the DataSource once the phase's
	 * timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}) passes, so the drain ends early
	 * enough for the release of unfinished jobs to fit before it.
	 */
	static EngineSettings create(PgQueueProperties properties, Duration shutdownPhase) {
		return create(properties, shutdownPhase, List.of());
	}

	/**
	 * As {@link #create(PgQueueProperties, Duration)}, with the customizers applied in order after the
	 * properties.
	 */
	static EngineSettings create(PgQueueProperties properties, Duration shutdownPhase,
			List<PgQueueCustomizer> customizers) {
		EngineSettings settings = create(properties);
		if (!customizers.isEmpty()) {
			EngineSettings.Builder builder = settings.toBuilder();
			customizers.forEach((customizer) -> customizer.customize(builder));
			settings = builder.build();
		}
		Duration drain = ShutdownBudget.drainWithin(settings.shutdownTimeout(), shutdownPhase);
		return drain.equals(settings.shutdownTimeout()) ? settings
				: settings.toBuilder().shutdownTimeout(drain).build();
	}

	static EngineSettings create(PgQueueProperties properties) {
		try {
			List<QueueSettings> queues = new ArrayList<>();
			for (Map.Entry<String, PgQueueProperties.Queue> entry : properties.getQueues().entrySet()) {
				PgQueueProperties.Queue queue = entry.getValue();
				queues.add(new QueueSettings(entry.getKey(), queue.getConcurrency(), queue.getMaxBacklog(),
						queue.isPaused(), queue.getJobTimeout()));
			}
			PgQueueProperties.Retry retry = properties.getRetry();
			PgQueueProperties.Retention retention = properties.getRetention();
			EngineSettings.Builder builder = EngineSettings.builder()
				.schema(properties.getSchema())
				.leaseDuration(properties.getLeaseDuration())
				.heartbeatInterval(properties.getHeartbeatInterval())
				.pollInterval(properties.getPollInterval())
				.reaperInterval(properties.getReaperInterval())
				.shutdownTimeout(properties.getShutdownTimeout())
				.priorityAging(properties.getPriorityAging())
				.maxPayloadSize(properties.getMaxPayloadSize().toBytes())
				.retry(new RetrySettings(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMultiplier(),
						retry.getMaxBackoff(), retry.getJitter()))
				.retention(new RetentionSettings(retention.getCompleted(), retention.getCancelled(),
						retention.getDead()))
				.queues(queues)
				.notifyEnabled(properties.isNotify())
				.cancelGracePeriod(properties.getCancelGracePeriod())
				.jobTimeout(properties.getJobTimeout());
			String workerId = properties.getWorker().getId();
			if (workerId != null) {
				builder.workerId(workerId);
			}
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			String message = ex.getMessage();
			// the engine's messages start with the setting's name, in property form
			String setting = message.split("[ (]", 2)[0];
			String property = setting.equals("worker.id") || setting.matches("[a-z.\\-_0-9]+") ? "pgqueue." + setting
					: "pgqueue";
			throw new InvalidConfigurationPropertyValueException(property, valueOf(properties, setting), message);
		}
	}

	/**
	 * @return the periodic jobs of {@code pgqueue.periodic}
	 * @throws InvalidConfigurationPropertyValueException naming the property of a bad one
	 */
	static List<io.github.pgqueue.PeriodicJob> periodicJobs(PgQueueProperties properties) {
		List<io.github.pgqueue.PeriodicJob> jobs = new ArrayList<>();
		properties.getPeriodic().forEach((name, periodic) -> {
			String property = "pgqueue.periodic." + name + ".cron";
			if (periodic.getCron() == null || periodic.getCron().isBlank()) {
				throw new InvalidConfigurationPropertyValueException(property, periodic.getCron(), "a cron expression is required");
			}
			try {
				jobs.add(new io.github.pgqueue.PeriodicJob(name, (periodic.getKind() != null) ? periodic.getKind() : name,
						periodic.getPayload(), periodic.getQueue(), CronSchedule.parse(periodic.getCron(), periodic.getZone()),
						periodic.getMissed()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(property, periodic.getCron(), ex.getMessage());
			}
		});
		return jobs;
	}

	private static Object valueOf(PgQueueProperties properties, String setting) {
		return switch (setting) {
			case "schema" -> properties.getSchema();
			case "lease-duration" -> properties.getLeaseDuration();
			case "heartbeat-interval" -> properties.getHeartbeatInterval();
			case "poll-interval" -> properties.getPollInterval();
			case "reaper-interval" -> properties.getReaperInterval();
			case "shutdown-timeout" -> properties.getShutdownTimeout();
			case "priority-aging" -> properties.getPriorityAging();
			case "max-payload-size" -> properties.getMaxPayloadSize();
			case "cancel-grace-period" -> properties.getCancelGracePeriod();
			default -> "(see message)";
		};
	}

}
