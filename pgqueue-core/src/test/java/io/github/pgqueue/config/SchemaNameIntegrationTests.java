package io.github.pgqueue.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.schema.SchemaMigrator;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The schema names {@link SqlIdentifier} refuses are exactly those the server cannot take unquoted,
 * and every other keyword works as a schema name through a whole migration.
 */
class SchemaNameIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@Test
	void theReservedKeywordsAreThoseOfTheServer() {
		List<String> server = db.jdbc()
			.sql("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")
			.query(String.class)
			.list();
		assertThat(new HashSet<>(server)).as("PostgreSQL %s", db.jdbc().sql("SHOW server_version").query(String.class).single())
			.isEqualTo(SqlIdentifier.RESERVED_KEYWORDS);
	}

	@Test
	void everyOtherKeywordIsASchemaNameTheStatementsTake() {
		List<String> others = db.jdbc()
			.sql("SELECT word FROM pg_get_keywords() WHERE catcode NOT IN ('R', 'T') ORDER BY word")
			.query(String.class)
			.list();
		assertThat(others).hasSizeGreaterThan(300);
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
		tx.executeWithoutResult((status) -> {
			for (String word : others) {
				SqlIdentifier.requireSchema("schema", word);
				db.jdbc().sql("CREATE SCHEMA " + word).update();
				db.jdbc().sql("CREATE TABLE " + word + ".pgqueue_job (id bigint)").update();
				db.jdbc().sql("SELECT count(*) FROM " + word + ".pgqueue_job").query(Long.class).single();
			}
			status.setRollbackOnly();
		});
	}

	@Test
	void aSchemaNamedByAnUnreservedKeywordMigratesAndTakesJobs() {
		String schema = "values";
		try {
			new SchemaMigrator(db.dataSource(), schema).migrate();
			PgQueue pgQueue = PgQueue.builder(db.dataSource())
				.settings(db.settings().schema(schema).build())
				.build();
			pgQueue.jobQueue().enqueue("kind", "payload", EnqueueOptions.builder().idempotencyKey("k").build());
			assertThat(db.jdbc().sql("SELECT count(*) FROM values.pgqueue_job").query(Long.class).single()).isOne();
		}
		finally {
			db.jdbc().sql("DROP SCHEMA IF EXISTS values CASCADE").update();
		}
	}

	@Test
	void aReservedOrSystemSchemaIsRefusedBeforeMigrating() {
		for (String schema : Set.of("select", "user", "order", "pg_catalog", "information_schema")) {
			assertThatIllegalArgumentException().as(schema)
				.isThrownBy(() -> new SchemaMigrator(db.dataSource(), schema))
				.withMessageContaining("schema");
		}
	}

}
