package io.github.pgqueue.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

/**
 * The dashboard's HTML: escaping every value that comes from a job, and the page around each view.
 * Everything a page needs (style, the refresh script) is inline, so nothing is fetched from outside.
 */
final class Html {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final String STYLE = """
			body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
			header{background:#1d3557;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.4rem;align-items:center}
			header a{color:#dfe7f2;text-decoration:none}header a.on{color:#fff;font-weight:600;border-bottom:2px solid #a8dadc}
			header .brand{font-weight:700;color:#fff;margin-right:1rem}
			main{padding:1rem 1.4rem}h1{font-size:1.3rem;margin:.4rem 0 1rem}h2{font-size:1.05rem;margin:1.4rem 0 .6rem}
			table{border-collapse:collapse;background:#fff;min-width:40%;box-shadow:0 1px 2px #0001}
			th,td{padding:.35rem .7rem;border-bottom:1px solid #e4e7ec;text-align:left;vertical-align:top}
			th{background:#eef1f5;font-weight:600;font-size:.85rem}td.n{text-align:right;font-variant-numeric:tabular-nums}
			pre{background:#0f172a;color:#e2e8f0;padding:.7rem;overflow:auto;max-height:28rem;font-size:.8rem}
			.flash{background:#e7f5ec;border:1px solid #8fd1a5;padding:.5rem .8rem;margin-bottom:1rem}
			.error{background:#fdecec;border:1px solid #f1a1a1;padding:.5rem .8rem;margin-bottom:1rem}
			.state{padding:.05rem .45rem;border-radius:.6rem;font-size:.8rem;background:#e4e7ec}
			.state-dead{background:#fbd5d5}.state-running{background:#d6e9ff}.state-completed{background:#d9f2e1}
			.state-cancelled{background:#eee}.paused{color:#b45309;font-weight:600}
			form.inline{display:inline}button{cursor:pointer;padding:.2rem .6rem}
			form.filters{margin-bottom:1rem;display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}
			form.filters label{display:flex;flex-direction:column;font-size:.8rem}
			.muted{color:#6b7280;font-size:.85rem}
			""";

	private Html() {
	}

	/** @return the text with HTML's special characters escaped, for element content and attribute values */
	static String escape(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	static String url(@Nullable String value) {
		return (value != null) ? URLEncoder.encode(value, StandardCharsets.UTF_8) : "";
	}

	static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "—";
	}

	static String age(@Nullable Duration duration) {
		if (duration == null) {
			return "—";
		}
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m " + (seconds % 60) + "s";
		}
		return (seconds / 3600) + "h " + ((seconds % 3600) / 60) + "m";
	}

	static String count(long count, boolean capped) {
		return capped ? "≥" + count : Long.toString(count);
	}

	static String state(String state) {
		return "<span class=\"state state-" + escape(state) + "\">" + escape(state) + "</span>";
	}

	/**
	 * @param base the dashboard's base URL path
	 * @param active which navigation entry is the current page
	 * @param title the page's title
	 * @param body the page's content, already HTML
	 * @param script inline script for the page, or empty
	 */
	static String page(String base, String active, String title, String body, String script) {
		StringBuilder page = new StringBuilder(8192);
		page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
			.append("<title>").append(escape(title)).append(" · pgqueue</title><style>").append(STYLE)
			.append("</style></head><body><header><span class=\"brand\">pgqueue</span>");
		nav(page, base, active, "overview", "", "Overview");
		nav(page, base, active, "jobs", "/jobs", "Jobs");
		nav(page, base, active, "dead", "/dead", "Dead letter");
		nav(page, base, active, "periodic", "/periodic", "Periodic");
		nav(page, base, active, "workers", "/workers", "Workers");
		page.append("</header><main>").append(body).append("</main>");
		if (!script.isEmpty()) {
			page.append("<script>").append(script).append("</script>");
		}
		return page.append("</body></html>").toString();
	}

	private static void nav(StringBuilder page, String base, String active, String id, String path, String label) {
		page.append("<a id=\"nav-").append(id).append("\" href=\"").append(escape(base + path)).append('"');
		if (id.equals(active)) {
			page.append(" class=\"on\"");
		}
		page.append('>').append(label).append("</a>");
	}

}
