package io.github.pgqueue.samples.jobservice;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.pgqueue.test.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.web.client.RestClient;

import static org.awaitility.Awaitility.await;

/**
 * The job service's HTTP API as a test sees it: real requests to the running service, with the
 * status, headers and JSON body of every answer, errors included.
 */
final class ServiceClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final RestClient http;

	/** The operator's credentials, as application-test.yml sets them. */
	static final String OPERATOR = "operator:test-operator-password";

	ServiceClient(int port) {
		this.http = http(port).build();
	}

	/**
	 * A client to the service on the JDK's HTTP client, which sends each request once (Apache
	 * HttpClient, on the class path for the webhooks, would repeat one answered 503 or 429 itself).
	 */
	static RestClient.Builder http(int port) {
		return RestClient.builder().baseUrl("http://127.0.0.1:" + port).requestFactory(new JdkClientHttpRequestFactory());
	}

	private ServiceClient(RestClient http) {
		this.http = http;
	}

	/** A client signed in as the operator (HTTP Basic), who may use the actuator. */
	static ServiceClient operator(int port) {
		return new ServiceClient(http(port).defaultHeader(HttpHeaders.AUTHORIZATION, basic(OPERATOR))
			.build());
	}

	/** @return the {@code Authorization} header for {@code user:password} */
	static String basic(String credentials) {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** @return the body of a GET as text */
	String text(String path) {
		return this.http.get().uri(path).retrieve().body(String.class);
	}

	/** Points the service at a test class's own schema, through {@code jdbcUrl}. */
	static void useDatabase(DynamicPropertyRegistry registry, TestDatabase db, Supplier<Object> jdbcUrl) {
		registry.add("spring.datasource.url", jdbcUrl);
		registry.add("pgqueue.schema", db::schema);
	}

	Response post(String path, String body) {
		return this.http.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange((request, response) -> new Response(response.getStatusCode().value(), response.getHeaders(),
					read(response.bodyTo(String.class))));
	}

	Response get(String path) {
		return this.http.get()
			.uri(path)
			.exchange((request, response) -> new Response(response.getStatusCode().value(), response.getHeaders(),
					read(response.bodyTo(String.class))));
	}

	/** Submits a job that must be accepted as new, and returns its id. */
	long submit(String body) {
		Response response = post("/jobs", body);
		if (response.status() != 201) {
			throw new AssertionError("expected 201 for " + body + ", got " + response);
		}
		return response.json().get("id").asLong();
	}

	/** Waits until {@code GET /jobs/{id}} shows the state, and returns that answer. */
	JsonNode awaitState(long id, String state) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(30))
			.alias("job " + id + " reaching state " + state + "; last seen " + last)
			.until(() -> {
				last.set(get("/jobs/" + id).json());
				return state.equals(last.get().path("state").asString());
			});
		return last.get();
	}

	private static JsonNode read(String body) {
		return (body == null || body.isEmpty()) ? json.missingNode() : json.readTree(body);
	}

	/**
	 * One answer.
	 *
	 * @param status the HTTP status
	 * @param headers the headers
	 * @param json the body, or a missing node
	 */
	record Response(int status, HttpHeaders headers, JsonNode json) {

		String contentType() {
			MediaType type = this.headers.getContentType();
			return (type != null) ? type.getType() + "/" + type.getSubtype() : "";
		}

	}

}
