package io.github.pgqueue.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "every property, with its default" block is true: copied into an application.yml it
 * changes nothing, and it names every property.
 */
class ReadmePropertiesTests {

	private static final Pattern BLOCK = Pattern.compile("every property, with its default\\):\\s*```yaml\\n(.*?)```",
			Pattern.DOTALL);

	@Test
	void theReadmeBlockSetsEveryPropertyToItsDefault() throws IOException {
		PgQueueProperties fromReadme = bind(readmeBlock());
		JsonMapper json = JsonMapper.builder().build();
		JsonNode readme = json.valueToTree(fromReadme);
		JsonNode defaults = json.valueToTree(new PgQueueProperties());
		assertThat(readme).isEqualTo(defaults);
		assertThat(fromReadme.getWorker().getId()).isNull();
	}

	@Test
	void theReadmeBlockNamesEveryProperty() throws IOException {
		String block = readmeBlock();
		JsonNode metadata = JsonMapper.builder().build()
			.readTree(Path.of("target/classes/META-INF/spring-configuration-metadata.json").toFile());
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (!name.startsWith("pgqueue.") || name.startsWith("pgqueue.queues") || name.startsWith("pgqueue.periodic")) {
				continue;
			}
			String leaf = name.substring(name.lastIndexOf('.') + 1);
			assertThat(block).as(name).containsPattern("(?m)(^|[\\s{,#])" + Pattern.quote(leaf) + ":");
		}
	}

	private static String readmeBlock() throws IOException {
		Matcher matcher = BLOCK.matcher(Files.readString(Path.of("../README.md")));
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private static PgQueueProperties bind(String yaml) throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("readme",
				new ByteArrayResource(yaml.getBytes()));
		StandardEnvironment environment = new StandardEnvironment();
		sources.forEach(environment.getPropertySources()::addFirst);
		return Binder.get(environment).bindOrCreate("pgqueue", PgQueueProperties.class);
	}

}
