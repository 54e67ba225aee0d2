package io.github.pgqueue.autoconfigure;

import java.math.BigDecimal;

import javax.sql.DataSource;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payloads are written with pgqueue's own mapper: the application's Jackson modules apply, but
 * {@code spring.jackson.*} settings do not change what is stored.
 */
class PayloadMappingTests {

	@RegisterExtension
	static final TestDatabase db = new TestDatabase();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PgQueueAutoConfiguration.class))
		.withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
		.withBean(JacksonModule.class, PayloadMappingTests::moneyModule)
		.withPropertyValues("pgqueue.schema=" + db.schema(), "pgqueue.worker.enabled=false");

	@Test
	void storesTheSamePayloadWhateverSpringJacksonPropertiesSay() {
		String plain = stored(this.runner);
		String changed = stored(this.runner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE",
				"spring.jackson.default-property-inclusion=non_null", "spring.jackson.serialization.indent-output=true",
				"spring.jackson.mapper.sort-properties-alphabetically=true"));
		assertThat(changed).isEqualTo(plain);
		assertThat(plain).contains("\"firstName\"", "\"middleName\"");
	}

	@Test
	void appliesTheApplicationsJacksonModules() {
		assertThat(stored(this.runner)).contains("\"12.50 EUR\"");
	}

	private static String stored(ApplicationContextRunner runner) {
		String[] payload = new String[1];
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			JobId id = context.getBean(JobQueue.class)
				.enqueue("greeting", new Greeting("Ada", null, new Money(new BigDecimal("12.50"), "EUR")));
			payload[0] = db.jdbc()
				.sql("SELECT payload::text FROM " + db.jobTable() + " WHERE id = :id")
				.param("id", id.value())
				.query(String.class)
				.single();
		});
		return payload[0];
	}

	static JacksonModule moneyModule() {
		return new SimpleModule("money").addSerializer(Money.class, new ValueSerializer<Money>() {
			@Override
			public void serialize(Money value, JsonGenerator gen, SerializationContext context) {
				gen.writeString(value.amount().toPlainString() + " " + value.currency());
			}
		});
	}

	record Greeting(String firstName, String middleName, Money price) {
	}

	record Money(BigDecimal amount, String currency) {
	}

}
