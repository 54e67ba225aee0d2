package io.github.pgqueue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No cycle between pgqueue-core's packages, as the JDK's {@code jdeps} reads them from the compiled
 * classes (constant pools, so every use counts, not only imports).
 * <p>
 * The root package is the API every internal package uses; {@link PgQueue}, its one entry point for
 * plain Java, wires the internals together and so is a node of its own in the graph: an internal
 * package may use the API, never {@code PgQueue}.
 */
class PackageCycleTests {

	private static final String ROOT = "io.github.pgqueue";

	// "   io.github.pgqueue.claim.JobPoller                  -> io.github.pgqueue.store.LeaseStore      classes"
	private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(ROOT) + "[\\w.$]*)\\s+->\\s+("
			+ Pattern.quote(ROOT) + "[\\w.$]*)\\s");

	@Test
	void corePackagesHaveNoCycle() throws URISyntaxException {
		Map<String, Set<String>> graph = packageGraph(classesOf(PgQueue.class));
		assertThat(graph).as("jdeps found the packages").containsKeys(ROOT + ".store", ROOT + ".claim");
		assertThat(cycles(graph)).as("packages that depend on each other, with their edges %s", graph).isEmpty();
	}

	// what the root package's documentation promises: the API types need nothing internal but the identifier check
	@Test
	void theApiTypesUseNoInternalPackageButConfig() throws URISyntaxException {
		Map<String, Set<String>> graph = packageGraph(classesOf(PgQueue.class));
		assertThat(graph.get(ROOT)).isSubsetOf(ROOT + ".config");
	}

	private static Path classesOf(Class<?> type) throws URISyntaxException {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/** @return each package's (or PgQueue's) dependencies on other core packages */
	static Map<String, Set<String>> packageGraph(Path classes) {
		ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
		StringWriter out = new StringWriter();
		int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
				"-e", Pattern.quote(ROOT) + "\\..*", classes.toString());
		assertThat(exit).as("jdeps: %s", out).isZero();
		Map<String, Set<String>> graph = new TreeMap<>();
		for (String line : out.toString().split("\n")) {
			Matcher edge = EDGE.matcher(line);
			if (edge.find()) {
				String from = node(edge.group(1));
				String to = node(edge.group(2));
				graph.computeIfAbsent(from, (key) -> new TreeSet<>());
				if (!from.equals(to)) {
					graph.get(from).add(to);
				}
			}
		}
		return graph;
	}

	private static String node(String className) {
		String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
		if (outer.equals(PgQueue.class.getName())) {
			return outer;
		}
		return outer.substring(0, outer.lastIndexOf('.'));
	}

	/** @return the strongly connected components of more than one node (Tarjan) */
	static List<Set<String>> cycles(Map<String, Set<String>> graph) {
		Map<String, Integer> index = new HashMap<>();
		Map<String, Integer> low = new HashMap<>();
		Deque<String> stack = new ArrayDeque<>();
		Set<String> onStack = new TreeSet<>();
		List<Set<String>> cycles = new ArrayList<>();
		for (String node : graph.keySet()) {
			if (!index.containsKey(node)) {
				connect(node, graph, index, low, stack, onStack, cycles);
			}
		}
		return cycles;
	}

	private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
			Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> cycles) {
		index.put(node, index.size());
		low.put(node, index.get(node));
		stack.push(node);
		onStack.add(node);
		for (String next : graph.getOrDefault(node, Set.of())) {
			if (!index.containsKey(next)) {
				connect(next, graph, index, low, stack, onStack, cycles);
				low.put(node, Math.min(low.get(node), low.get(next)));
			}
			else if (onStack.contains(next)) {
				low.put(node, Math.min(low.get(node), index.get(next)));
			}
		}
		if (low.get(node).equals(index.get(node))) {
			Set<String> component = new TreeSet<>();
			String member;
			do {
				member = stack.pop();
				onStack.remove(member);
				component.add(member);
			}
			while (!member.equals(node));
			if (component.size() > 1) {
				cycles.add(component);
			}
		}
	}

}
