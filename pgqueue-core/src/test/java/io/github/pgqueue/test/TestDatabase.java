package io.github.pgqueue.test;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.schema.SchemaMigrator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.awaitility.Awaitility.await;

/**
 * Gives a test class its own schema, with pgqueue's changelog applied, on the PostgreSQL that
 * {@link PostgresFinder} finds; the schema is dropped after the class. Connections use a session
 * time zone far from UTC (and the JVM another one), to flush out time-zone bugs.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase db = new TestDatabase();
 * }</pre>
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

	/** The session time zone of every test connection: UTC+12:45/+13:45. */
	public static final String SESSION_TIME_ZONE = "Pacific/Chatham";

	private static final Logger logger = LoggerFactory.getLogger(TestDatabase.class);

	private static volatile HikariDataSource shared;

	private final boolean migrate;

	private String schema;

	public TestDatabase() {
		this(true);
	}

	private TestDatabase(boolean migrate) {
		this.migrate = migrate;
	}

	/** @return a schema of its own, without pgqueue's tables */
	public static TestDatabase withoutMigration() {
		return new TestDatabase(false);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
		name = name.replaceAll("[^a-z0-9]", "");
		this.schema = "t_" + name.substring(0, Math.min(40, name.length())) + "_"
				+ Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
		if (this.migrate) {
			new SchemaMigrator(dataSource(), this.schema).migrate();
		}
		else {
			jdbc().sql("CREATE SCHEMA " + this.schema).update();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// A Spring test context outlives its class (the context cache closes it when the JVM
		// exits), so its worker may still be claiming here: DROP SCHEMA takes its tables one by
		// one and can deadlock with the worker's statements. The deadlock's victim is rolled
		// back whole, so the drop is simply tried again.
		await("schema " + this.schema + " dropped").atMost(Duration.ofSeconds(30))
			.ignoreException(PessimisticLockingFailureException.class)
			.until(() -> {
				jdbc().sql("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE").update();
				return true;
			});
	}

	public String schema() {
		return this.schema;
	}

	/** @return the shared pool, with up to 60 connections */
	public DataSource dataSource() {
		return sharedDataSource();
	}

	public JdbcClient jdbc() {
		return JdbcClient.create(dataSource());
	}

	/** @return the schema-qualified job table */
	public String jobTable() {
		return this.schema + ".pgqueue_job";
	}

	/** Deletes every job of this schema, for a test that starts from an empty table. */
	public void deleteAllJobs() {
		jdbc().sql("DELETE FROM " + jobTable()).update();
	}

	/** @return the number of jobs in the table */
	public long countJobs() {
		return jdbc().sql("SELECT count(*) FROM " + jobTable()).query(Long.class).single();
	}

	/** @return the number of jobs in the given state ({@code available}, {@code running}, ...) */
	public long countJobs(String state) {
		return jdbc().sql("SELECT count(*) FROM " + jobTable() + " WHERE state = :state")
			.param("state", state)
			.query(Long.class)
			.single();
	}

	/** @return engine settings for this schema, with short intervals for tests */
	public EngineSettings.Builder settings() {
		return EngineSettings.builder()
			.schema(this.schema)
			.pollInterval(java.time.Duration.ofMillis(100))
			.reaperInterval(java.time.Duration.ofMillis(200))
			.shutdownTimeout(java.time.Duration.ofSeconds(5));
	}

	/** @return the JDBC URL of the database found */
	public static String jdbcUrl() {
		return sharedDataSource().getJdbcUrl();
	}

	public static synchronized HikariDataSource sharedDataSource() {
		if (shared == null) {
			shared = createDataSource();
		}
		return shared;
	}

	private static HikariDataSource createDataSource() {
		PostgresFinder.Found found = PostgresFinder.forThisMachine().find();
		String url = found.jdbcUrl();
		HikariConfig config = new HikariConfig();
		if (found.useTestcontainers()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
			container.start();
			url = container.getJdbcUrl();
			config.setUsername(container.getUsername());
			config.setPassword(container.getPassword());
		}
		logger.info("Integration tests use PostgreSQL {} ({})", url, found.description());
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(60);
		config.setMinimumIdle(0);
		config.setConnectionTimeout(10_000);
		config.setConnectionInitSql("SET TIME ZONE '" + SESSION_TIME_ZONE + "'");
		config.setPoolName("pgqueue-test");
		return new HikariDataSource(config);
	}

}
