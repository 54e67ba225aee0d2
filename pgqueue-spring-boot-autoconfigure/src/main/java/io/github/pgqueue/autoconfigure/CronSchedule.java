package io.github.pgqueue.autoconfigure;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import io.github.pgqueue.Schedule;

import org.springframework.scheduling.support.CronExpression;

/**
 * A {@link Schedule} from a Spring cron expression (six fields, seconds first), read in a zone.
 */
public final class CronSchedule implements Schedule {

	private final CronExpression expression;

	private final ZoneId zone;

	private final String text;

	private CronSchedule(CronExpression expression, ZoneId zone, String text) {
		this.expression = expression;
		this.zone = zone;
		this.text = text;
	}

	/**
	 * @throws IllegalArgumentException naming the expression or zone when either is invalid
	 */
	public static CronSchedule parse(String cron, String zone) {
		ZoneId zoneId;
		try {
			zoneId = ZoneId.of(zone);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("invalid time zone '" + zone + "': " + ex.getMessage(), ex);
		}
		try {
			return new CronSchedule(CronExpression.parse(cron), zoneId, cron);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid cron expression '" + cron + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public Optional<Instant> nextAfter(Instant instant) {
		ZonedDateTime next = this.expression.next(instant.atZone(this.zone));
		return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
	}

	@Override
	public String toString() {
		return "cron '" + this.text + "' in " + this.zone;
	}

}
