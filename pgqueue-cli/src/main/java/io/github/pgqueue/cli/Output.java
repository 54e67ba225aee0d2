package io.github.pgqueue.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a command prints on stdout: aligned text for a person, or one JSON document for a script
 * ({@code --json}). Times are UTC, in ISO-8601.
 */
final class Output {

	static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final PrintWriter out;

	private final boolean json;

	Output(PrintWriter out, boolean json) {
		this.out = out;
		this.json = json;
	}

	boolean json() {
		return this.json;
	}

	void json(Object value) {
		this.out.println(JSON.writeValueAsString(value));
		this.out.flush();
	}

	void line(String text) {
		this.out.println(text);
		this.out.flush();
	}

	/** Prints rows under a header, each column as wide as its widest cell; numbers align right. */
	void table(List<String> header, List<List<String>> rows) {
		int[] widths = new int[header.size()];
		boolean[] numeric = new boolean[header.size()];
		boolean[] anyNumber = new boolean[header.size()];
		Arrays.fill(numeric, true);
		for (int i = 0; i < header.size(); i++) {
			widths[i] = header.get(i).length();
		}
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
				numeric[i] &= row.get(i).matches("-?[0-9]+|-");
				anyNumber[i] |= row.get(i).matches("-?[0-9]+");
			}
		}
		for (int i = 0; i < header.size(); i++) {
			numeric[i] &= anyNumber[i];
		}
		printRow(header, widths, numeric);
		for (List<String> row : rows) {
			printRow(row, widths, numeric);
		}
		this.out.flush();
	}

	private void printRow(List<String> cells, int[] widths, boolean[] numeric) {
		List<String> padded = new ArrayList<>(cells.size());
		for (int i = 0; i < cells.size(); i++) {
			String cell = cells.get(i);
			String pad = " ".repeat(widths[i] - cell.length());
			padded.add(numeric[i] ? pad + cell : (i == cells.size() - 1) ? cell : cell + pad);
		}
		this.out.println(String.join("  ", padded).stripTrailing());
	}

	/** @return the instant to the second, or {@code -} */
	static String time(@Nullable Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.SECONDS).toString() : "-";
	}

	/** @return a short age such as {@code 2h05m}, {@code 3m07s} or {@code 12s}, or {@code -} */
	static String age(@Nullable Duration age) {
		if (age == null) {
			return "-";
		}
		long seconds = Math.max(0, age.toSeconds());
		if (seconds >= 86_400) {
			return (seconds / 86_400) + "d" + String.format("%02dh", (seconds % 86_400) / 3600);
		}
		if (seconds >= 3600) {
			return (seconds / 3600) + "h" + String.format("%02dm", (seconds % 3600) / 60);
		}
		if (seconds >= 60) {
			return (seconds / 60) + "m" + String.format("%02ds", seconds % 60);
		}
		return seconds + "s";
	}

}
