package io.github.pgqueue.dashboard;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.github.pgqueue.FinishedPerMinute;

/**
 * Jobs completed and failed per minute, drawn as an inline SVG on the server: no script and no
 * library, so the chart shows wherever the page does.
 */
final class ThroughputChart {

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

	private static final int WIDTH = 720;

	private static final int HEIGHT = 200;

	private static final int LEFT = 44;

	private static final int BOTTOM = 24;

	private static final int TOP = 12;

	private ThroughputChart() {
	}

	static String svg(List<FinishedPerMinute> minutes) {
		long max = 1;
		long completed = 0;
		long failed = 0;
		for (FinishedPerMinute minute : minutes) {
			max = Math.max(max, Math.max(minute.completed(), minute.failed()));
			completed += minute.completed();
			failed += minute.failed();
		}
		int plotWidth = WIDTH - LEFT - 8;
		int plotHeight = HEIGHT - TOP - BOTTOM;
		StringBuilder svg = new StringBuilder(4096);
		svg.append("<svg id=\"throughput-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
			.append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
			.append("\" role=\"img\" aria-label=\"Jobs completed and failed per minute\" data-max=\"").append(max)
			.append("\" data-completed=\"").append(completed).append("\" data-failed=\"").append(failed)
			.append("\" style=\"background:#fff;box-shadow:0 1px 2px #0001\">");
		for (int i = 0; i <= 4; i++) {
			double y = TOP + plotHeight - plotHeight * i / 4.0;
			svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - 8).append("\" y1=\"")
				.append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#e4e7ec\"/>");
			svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
				.append("\" font-size=\"10\" text-anchor=\"end\" fill=\"#6b7280\">")
				.append(Math.round(max * i / 4.0)).append("</text>");
		}
		if (!minutes.isEmpty()) {
			for (int i = 0; i < minutes.size(); i += 10) {
				svg.append("<text x=\"").append(fmt(x(i, minutes.size(), plotWidth))).append("\" y=\"").append(HEIGHT - 6)
					.append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#6b7280\">")
					.append(MINUTE.format(minutes.get(i).minute())).append("</text>");
			}
			svg.append(line("completed", "#2a9d8f", minutes, max, plotWidth, plotHeight, true));
			svg.append(line("failed", "#e63946", minutes, max, plotWidth, plotHeight, false));
		}
		svg.append("<text x=\"").append(LEFT + 8).append("\" y=\"").append(TOP + 12)
			.append("\" font-size=\"11\" fill=\"#2a9d8f\">■ completed ").append(completed).append("</text>");
		svg.append("<text x=\"").append(LEFT + 130).append("\" y=\"").append(TOP + 12)
			.append("\" font-size=\"11\" fill=\"#e63946\">■ failed (dead) ").append(failed).append("</text>");
		return svg.append("</svg>").toString();
	}

	private static String line(String series, String colour, List<FinishedPerMinute> minutes, long max,
			int plotWidth, int plotHeight, boolean completed) {
		StringBuilder points = new StringBuilder();
		for (int i = 0; i < minutes.size(); i++) {
			long value = completed ? minutes.get(i).completed() : minutes.get(i).failed();
			double y = TOP + plotHeight - (double) plotHeight * value / max;
			if (i > 0) {
				points.append(' ');
			}
			points.append(fmt(x(i, minutes.size(), plotWidth))).append(',').append(fmt(y));
		}
		return "<polyline class=\"series-" + series + "\" fill=\"none\" stroke=\"" + colour
				+ "\" stroke-width=\"2\" points=\"" + points + "\"/>";
	}

	private static double x(int index, int count, int plotWidth) {
		return LEFT + ((count > 1) ? (double) plotWidth * index / (count - 1) : 0);
	}

	private static String fmt(double value) {
		return String.format(java.util.Locale.ROOT, "%.1f", value);
	}

}
