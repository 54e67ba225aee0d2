package io.github.pgqueue.autoconfigure.handler;

import java.util.List;
import java.util.Map;

import io.github.pgqueue.Job;
import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.MissedTicks;
import io.github.pgqueue.execute.HandlerRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @JobHandler} discovery, and the startup failures that name the method.
 */
class JobHandlerDiscoveryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withBean(JobHandlerMethodRegistrar.class, JobHandlerMethodRegistrar::new);

	@Job("welcome")
	record Welcome(String name) {
	}

	record Plain(String name) {
	}

	@Test
	void findsHandlersWithTheirKindAndPayloadType() {
		this.runner.withBean(GoodHandlers.class).run((context) -> {
			List<HandlerRegistration> registrations = context.getBean(JobHandlerMethodRegistrar.class).registrations();
			assertThat(registrations).extracting(HandlerRegistration::kind)
				.containsExactlyInAnyOrder("welcome", "explicit", "context-first", "generic");
			HandlerRegistration generic = registrations.stream()
				.filter((registration) -> registration.kind().equals("generic"))
				.findFirst()
				.orElseThrow();
			assertThat(generic.payloadType().getTypeName()).isEqualTo("java.util.Map<java.lang.String, java.lang.Integer>");
			assertThat(generic.description()).contains("GoodHandlers.generic(Map)").contains("GoodHandlers'");
		});
	}

	@Test
	void aCronOnAHandlerDeclaresAPeriodicJob() {
		this.runner.withBean(PeriodicHandler.class).run((context) -> {
			var periodic = context.getBean(JobHandlerMethodRegistrar.class).periodicJobs();
			assertThat(periodic).singleElement().satisfies((job) -> {
				assertThat(job.name()).isEqualTo("nightly");
				assertThat(job.kind()).isEqualTo("nightly");
				assertThat(job.missed()).isEqualTo(MissedTicks.ALL);
				assertThat(job.schedule().nextAfter(java.time.Instant.parse("2026-01-01T01:00:00Z")))
					.contains(java.time.Instant.parse("2026-01-01T01:30:00Z"));
			});
		});
	}

	@Test
	void anInvalidCronFailsTheStartNamingTheMethod() {
		this.runner.withBean(BadCronHandler.class).run((context) -> assertThat(context).getFailure()
			.hasStackTraceContaining("@JobHandler method")
			.hasStackTraceContaining("BadCronHandler.handle")
			.hasStackTraceContaining("invalid cron expression 'every day'"));
	}

	@Test
	void twoHandlersForOneKindFailTheStartNamingBothMethods() {
		this.runner.withBean(GoodHandlers.class).withBean(DuplicateHandler.class).run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageContaining("Two @JobHandler methods handle job kind 'welcome'")
			.hasMessageContaining("GoodHandlers.welcome")
			.hasMessageContaining("DuplicateHandler.again"));
	}

	@Test
	void aHandlerWithNoResolvableKindFailsTheStartNamingTheMethod() {
		this.runner.withBean(NoKindHandler.class).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("NoKindHandler.handle")
			.hasMessageContaining("has no resolvable job kind")
			.hasMessageContaining("@Job"));
	}

	@Test
	void aHandlerWithTwoPayloadsFailsTheStartNamingTheMethod() {
		this.runner.withBean(TwoPayloadHandler.class).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("TwoPayloadHandler.handle")
			.hasMessageContaining("more than one payload parameter"));
	}

	@Test
	void aHandlerWithoutAPayloadFailsTheStartNamingTheMethod() {
		this.runner.withBean(NoPayloadHandler.class).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("NoPayloadHandler.handle")
			.hasMessageContaining("no payload parameter"));
	}

	@Test
	void aHandlerWithTwoContextsFailsTheStartNamingTheMethod() {
		this.runner.withBean(TwoContextHandler.class).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("TwoContextHandler.handle")
			.hasMessageContaining("more than one JobContext"));
	}

	static class GoodHandlers {

		@JobHandler
		void welcome(Welcome welcome, JobContext context) {
		}

		@JobHandler("explicit")
		void explicit(Plain plain) {
		}

		@JobHandler("context-first")
		void contextFirst(JobContext context, Plain plain) {
		}

		@JobHandler("generic")
		void generic(Map<String, Integer> counts) {
		}

	}

	static class PeriodicHandler {

		@JobHandler(value = "nightly", cron = "0 30 1 * * *", missed = MissedTicks.ALL)
		void handle(Map<String, Object> payload) {
		}

	}

	static class BadCronHandler {

		@JobHandler(value = "bad", cron = "every day")
		void handle(Map<String, Object> payload) {
		}

	}

	static class DuplicateHandler {

		@JobHandler("welcome")
		void again(Plain plain) {
		}

	}

	static class NoKindHandler {

		@JobHandler
		void handle(Plain plain) {
		}

	}

	static class TwoPayloadHandler {

		@JobHandler("two")
		void handle(Plain first, Plain second) {
		}

	}

	static class NoPayloadHandler {

		@JobHandler("none")
		void handle(JobContext context) {
		}

	}

	static class TwoContextHandler {

		@JobHandler("ctx")
		void handle(Plain plain, JobContext first, JobContext second) {
		}

	}

}
