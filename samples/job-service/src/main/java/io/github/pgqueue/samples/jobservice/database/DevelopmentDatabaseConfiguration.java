package io.github.pgqueue.samples.jobservice.database;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A database with no set-up, used only when {@code spring.datasource.url} is not set: where a Docker
 * engine answers ({@link DockerProbe}), a PostgreSQL container started by Testcontainers and wired
 * in the development-time way Spring Boot documents, as a {@code @ServiceConnection} bean; otherwise
 * a {@link DevelopmentDatabase}, as {@link JdbcConnectionDetails}: the service's own database on the
 * server on {@code localhost:5432} ({@link LocalPostgres}), else an {@link EmbeddedDatabase} of its
 * own. When none is there the start fails with a message naming the ways to get a database.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DevelopmentDatabaseConfiguration.NoDataSourceUrl.class)
public class DevelopmentDatabaseConfiguration {

	/** The image of the container started where Docker answers. */
	public static final String IMAGE = "postgres:17-alpine";

	private static final Logger logger = LoggerFactory.getLogger(DevelopmentDatabaseConfiguration.class);

	// conditions go on the bean methods, not on nested configuration classes: component scanning would
	// pick those up on their own, without this class's condition on spring.datasource.url

	@Bean
	@ServiceConnection
	@Conditional(DockerAvailable.class)
	PostgreSQLContainer postgresContainer() {
		logger.info("No spring.datasource.url set and Docker answers: starting PostgreSQL ({}) with Testcontainers. "
				+ "To use your own database, {}.", IMAGE, DatabaseChoice.SET_URL);
		return new PostgreSQLContainer(IMAGE);
	}

	@Bean
	@Conditional(DockerAvailable.class)
	DatabaseChoice containerDatabaseChoice() {
		return new DatabaseChoice("no spring.datasource.url is set and Docker answers, so a PostgreSQL container "
				+ "was started with Testcontainers; it is removed when the service stops", "to keep your jobs in your "
				+ "own database, " + DatabaseChoice.SET_URL);
	}

	@Bean
	@Conditional(DockerNotAvailable.class)
	DevelopmentDatabase developmentDatabase() {
		return DevelopmentDatabase.onThisMachine();
	}

	@Bean
	@Conditional(DockerNotAvailable.class)
	JdbcConnectionDetails localPostgresConnectionDetails(DevelopmentDatabase database) {
		return new LocalConnectionDetails(database.jdbcUrl(), database.password());
	}

	@Bean
	@Conditional(DockerNotAvailable.class)
	DatabaseChoice localDatabaseChoice(DevelopmentDatabase database) {
		return database.choice();
	}

	/**
	 * The server on localhost, or the embedded one.
	 *
	 * @param url its JDBC URL
	 * @param password the password, if any
	 */
	record LocalConnectionDetails(String url, @Nullable String password) implements JdbcConnectionDetails {

		@Override
		public String getUsername() {
			return LocalPostgres.USER;
		}

		@Override
		public @Nullable String getPassword() {
			return this.password;
		}

		@Override
		public String getJdbcUrl() {
			return this.url;
		}

	}

	/**
	 * Matches when {@code spring.datasource.url} is not set.
	 */
	static final class NoDataSourceUrl extends NoneNestedConditions {

		NoDataSourceUrl() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty("spring.datasource.url")
		static final class UrlProperty {

		}

	}

	/**
	 * Matches when a Docker engine answers.
	 */
	static final class DockerAvailable extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return DockerProbe.isDockerAvailable() ? ConditionOutcome.match("a Docker engine answers")
					: ConditionOutcome.noMatch("no Docker engine answers");
		}

	}

	/**
	 * Matches when no Docker engine answers.
	 */
	static final class DockerNotAvailable extends NoneNestedConditions {

		DockerNotAvailable() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@Conditional(DockerAvailable.class)
		static final class Docker {

		}

	}

}
