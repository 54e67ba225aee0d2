package io.github.pgqueue.test;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Records what one logger logs at WARN and above while it is open. */
public final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private LogCapture(Class<?> loggerOf) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	public static LogCapture of(Class<?> loggerOf) {
		return new LogCapture(loggerOf);
	}

	/** @return the formatted messages logged at WARN or above so far */
	public List<String> warnings() {
		return List.copyOf(this.appender.list)
			.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
