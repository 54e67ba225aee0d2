package io.github.pgqueue;

import java.util.List;

import io.github.pgqueue.schema.SchemaMigrator;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SchemaMigratorIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@Test
	void createsTheTablesInTheConfiguredSchemaWithItsOwnTrackingTables() {
		// what is outside this class's schema may be anyone's (a sample run left pgqueue's tables in public):
		// only what the migration changes there is this test's business
		List<String> outsideBefore = tablesOutsideTheSchema();
		new SchemaMigrator(db.dataSource(), db.schema()).migrate();
		assertThat(tables()).contains("pgqueue_job", "pgqueue_side_effect", "pgqueue_queue", "pgqueue_databasechangelog",
				"pgqueue_databasechangeloglock")
			.doesNotContain("databasechangelog", "databasechangeloglock");
		assertThat(tablesOutsideTheSchema()).as("nothing written outside the configured schema")
			.containsExactlyElementsOf(outsideBefore);
	}

	@Test
	void applyingTwiceChangesNothing() {
		SchemaMigrator migrator = new SchemaMigrator(db.dataSource(), db.schema());
		migrator.migrate();
		String before = schemaFingerprint();
		int changeSets = changeSets();
		migrator.migrate();
		assertThat(changeSets()).isEqualTo(changeSets).isEqualTo(10);
		assertThat(schemaFingerprint()).isEqualTo(before);
	}

	/**
	 * A start changes no indexed column: with room left on the row's page it is a HOT update, which
	 * writes no index entry (the drain's WAL per job fell by about a sixth).
	 */
	@Test
	void theJobTableLeavesRoomOnEachPageForItsRowsNextVersion() {
		new SchemaMigrator(db.dataSource(), db.schema()).migrate();
		List<String> options = db.jdbc().sql("SELECT unnest(reloptions) FROM pg_class WHERE oid = CAST(:table AS regclass)")
			.param("table", db.schema() + ".pgqueue_job")
			.query(String.class)
			.list();
		assertThat(options).contains("fillfactor=70");
	}

	@Test
	void leavesTheConnectionsSearchPathAsItFoundIt() {
		new SchemaMigrator(db.dataSource(), db.schema()).migrate();
		for (int i = 0; i < 5; i++) {
			assertThat(db.jdbc().sql("SELECT current_setting('search_path')").query(String.class).single())
				.doesNotContain(db.schema());
		}
	}

	@Test
	void rejectsASchemaThatIsNotAPlainIdentifier() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SchemaMigrator(db.dataSource(), "public; DROP TABLE x"))
			.withMessageContaining("schema must be a plain SQL identifier");
		assertThatIllegalArgumentException().isThrownBy(() -> new SchemaMigrator(db.dataSource(), "Mixed"));
		assertThatIllegalArgumentException().isThrownBy(() -> new SchemaMigrator(db.dataSource(), "1abc"));
	}

	private List<String> tables() {
		return db.jdbc()
			.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = :schema")
			.param("schema", db.schema())
			.query(String.class)
			.list();
	}

	private List<String> tablesOutsideTheSchema() {
		return db.jdbc()
			.sql("""
					SELECT table_schema || '.' || table_name FROM information_schema.tables
					WHERE table_schema <> :schema AND table_schema NOT IN ('pg_catalog', 'information_schema')
					ORDER BY 1
					""")
			.param("schema", db.schema())
			.query(String.class)
			.list();
	}

	private int changeSets() {
		return db.jdbc().sql("SELECT count(*) FROM " + db.schema() + ".pgqueue_databasechangelog").query(Integer.class).single();
	}

	private String schemaFingerprint() {
		return db.jdbc()
			.sql("""
					SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
					FROM information_schema.columns WHERE table_schema = :schema
					""")
			.param("schema", db.schema())
			.query(String.class)
			.single()
				+ db.jdbc()
					.sql("SELECT string_agg(indexdef, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = :schema")
					.param("schema", db.schema())
					.query(String.class)
					.single();
	}

}
