package io.github.pgqueue.autoconfigure.schema;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Setting up pgqueue's schema logs one line saying what it applied, instead of Liquibase's dozens of
 * progress lines.
 */
class SchemaInitializerLogTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	private final List<LogRecord> liquibaseInfo = new CopyOnWriteArrayList<>();

	private final Handler liquibaseHandler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() <= Level.INFO.intValue()) {
				SchemaInitializerLogTests.this.liquibaseInfo.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private java.util.logging.@org.jspecify.annotations.Nullable Level previousLevel;

	@BeforeEach
	void capture() {
		java.util.logging.Logger liquibase = java.util.logging.Logger.getLogger("liquibase");
		this.previousLevel = liquibase.getLevel();
		liquibase.setLevel(Level.INFO);
		liquibase.addHandler(this.liquibaseHandler);
		this.appender.start();
		((Logger) LoggerFactory.getLogger("ROOT")).addAppender(this.appender);
	}

	@AfterEach
	void release() {
		java.util.logging.Logger liquibase = java.util.logging.Logger.getLogger("liquibase");
		liquibase.removeHandler(this.liquibaseHandler);
		liquibase.setLevel(this.previousLevel);
		((Logger) LoggerFactory.getLogger("ROOT")).detachAppender(this.appender);
	}

	@Test
	void logsOneLineSayingWhatItAppliedThenThatTheSchemaIsUpToDate() {
		new PgQueueSchemaInitializer(db.dataSource(), db.schema()).afterPropertiesSet();
		assertThat(this.liquibaseInfo).extracting(LogRecord::getMessage).isEmpty();
		assertThat(lines()).singleElement()
			.asString()
			.startsWith("pgqueue applied ")
			.contains("change set(s) to schema '" + db.schema() + "'", "001");
		this.appender.list.clear();
		new PgQueueSchemaInitializer(db.dataSource(), db.schema()).afterPropertiesSet();
		assertThat(this.liquibaseInfo).isEmpty();
		assertThat(lines()).singleElement().asString().contains("is up to date");
	}

	private List<String> lines() {
		return this.appender.list.stream()
			.filter((event) -> (event.getLoggerName().startsWith("liquibase")
					&& !event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
					|| event.getLoggerName().startsWith("io.github.pgqueue"))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

}
