package io.github.pgqueue.samples.jobservice.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.pgqueue.autoconfigure.PgQueueProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than {@code pgqueue.max-payload-size} plus {@link #ENVELOPE_BYTES} for
 * the rest of a submission with {@code 413} {@code application/problem+json}, before anything parses
 * it: at once by its {@code Content-Length}, and for a body of unknown length (chunked) by reading at
 * most that many bytes, then handing on what was read. So no body, however large, takes more memory
 * than the cap before it is refused. First of all filters, before Spring Security's.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeFilter extends OncePerRequestFilter {

	/** Room for a submission's fields besides its payload (type, options, the JSON around them). */
	public static final long ENVELOPE_BYTES = 64 * 1024;

	private final long maxPayloadBytes;

	private final long maxRequestBytes;

	private final JsonMapper json;

	public RequestSizeFilter(PgQueueProperties pgqueue, JsonMapper json) {
		this.maxPayloadBytes = pgqueue.getMaxPayloadSize().toBytes();
		this.maxRequestBytes = this.maxPayloadBytes + ENVELOPE_BYTES;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxRequestBytes) {
			refuse(response, declared + " bytes");
			return;
		}
		if (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			byte[] body = readAtMost(request.getInputStream(), this.maxRequestBytes);
			if (body == null) {
				refuse(response, "over " + this.maxRequestBytes + " bytes (chunked)");
				return;
			}
			chain.doFilter(new BufferedBody(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	// The body, or null as soon as it passes the limit (the rest is never read).
	private static byte[] readAtMost(InputStream in, long limit) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		while ((n = in.read(buffer)) >= 0) {
			if (body.size() + n > limit) {
				return null;
			}
			body.write(buffer, 0, n);
		}
		return body.toByteArray();
	}

	private void refuse(HttpServletResponse response, String size) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", "Request too large");
		problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
		problem.put("detail", "the request body is " + size + ", over the limit of " + this.maxRequestBytes
				+ " bytes (pgqueue.max-payload-size of " + this.maxPayloadBytes + " bytes plus " + ENVELOPE_BYTES
				+ " for the rest of the request); it was not read");
		problem.put("maxRequestBytes", this.maxRequestBytes);
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// the unread rest of the body is not worth swallowing: close the connection after the answer
		response.setHeader(HttpHeaders.CONNECTION, "close");
		response.getOutputStream().write(this.json.writeValueAsBytes(problem));
		response.flushBuffer();
	}

	/** A request whose body was read already. */
	private static final class BufferedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] bytes, int offset, int length) {
					return in.read(bytes, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body was read already");
				}

			};
		}

	}

}
