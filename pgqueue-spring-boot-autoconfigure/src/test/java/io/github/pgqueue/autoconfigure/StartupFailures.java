package io.github.pgqueue.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.ClassUtils;

/**
 * Reports a start-up failure as Spring Boot would: with the failure analyzers pgqueue registers in
 * {@code META-INF/spring.factories}.
 */
final class StartupFailures {

	private StartupFailures() {
	}

	static @Nullable FailureAnalysis analyze(Throwable failure) {
		for (FailureAnalyzer analyzer : pgQueueAnalyzers()) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

	private static FailureAnalyzer[] pgQueueAnalyzers() {
		try {
			java.util.List<String> names = new java.util.ArrayList<>();
			var resources = StartupFailures.class.getClassLoader().getResources("META-INF/spring.factories");
			while (resources.hasMoreElements()) {
				Properties factories = PropertiesLoaderUtils
					.loadProperties(new org.springframework.core.io.UrlResource(resources.nextElement()));
				names.addAll(Arrays.asList(factories.getProperty(FailureAnalyzer.class.getName(), "").split(",")));
			}
			return names.stream()
				.map(String::strip)
				.filter((name) -> name.startsWith("io.github.pgqueue."))
				.map((name) -> (FailureAnalyzer) BeanUtils
					.instantiateClass(ClassUtils.resolveClassName(name, StartupFailures.class.getClassLoader())))
				.toArray(FailureAnalyzer[]::new);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
