package io.github.pgqueue.samples.jobservice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.github.pgqueue.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request larger than {@code pgqueue.max-payload-size} plus the envelope is refused with {@code 413}
 * {@code application/problem+json} before it is parsed, whether it says its length up front or comes
 * chunked: a 21 MB body of {@code {}} (which, parsed, would fill far more than this JVM's heap; the
 * sample's tests run with {@code -Xmx256m}) is answered 413 and nothing is enqueued. Sent over a raw
 * socket, so the test sees exactly what the server answers, however early.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RequestSizeIntegrationTests {

	@RegisterExtension
	static final TestDatabase db = TestDatabase.withoutMigration();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceClient.useDatabase(registry, db, TestDatabase::jdbcUrl);
	}

	static final long BODY_BYTES = 21L * 1024 * 1024;

	@LocalServerPort
	int port;

	@Test
	void theTestsRunOnASmallHeap() {
		assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(256L * 1024 * 1024);
	}

	@Test
	void aBodyOverTheCapWithItsContentLengthIsRefused413BeforeItIsRead() throws Exception {
		assertRefusedAndNothingEnqueued(false);
	}

	@Test
	void aChunkedBodyOverTheCapIsRefused413() throws Exception {
		assertRefusedAndNothingEnqueued(true);
	}

	private void assertRefusedAndNothingEnqueued(boolean chunked) throws Exception {
		long before = db.countJobs();
		String answer = send(chunked, BODY_BYTES);
		assertThat(answer).startsWith("HTTP/1.1 413");
		assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(answer).contains("\"status\":413").contains("pgqueue.max-payload-size");
		assertThat(db.countJobs()).isEqualTo(before);
	}

	@Test
	void aChunkedBodyUnderTheCapIsReadAsUsual() throws Exception {
		String answer = send(true, 0);
		assertThat(answer).startsWith("HTTP/1.1 201");
	}

	/**
	 * POSTs to /jobs a send-email submission whose payload carries {@code filler} bytes of {@code {},}
	 * in an array, and returns the server's answer (status line, headers and body) as far as it came.
	 */
	private String send(boolean chunked, long filler) throws Exception {
		byte[] head = "{\"type\":\"send-email\",\"payload\":{\"to\":\"big@example.com\",\"subject\":\"s\",\"body\":\"b\""
			.getBytes(StandardCharsets.UTF_8);
		byte[] open = ",\"filler\":[".getBytes(StandardCharsets.UTF_8);
		byte[] close = "{}]".getBytes(StandardCharsets.UTF_8);
		byte[] tail = "}}".getBytes(StandardCharsets.UTF_8);
		long length = head.length + tail.length + ((filler > 0) ? open.length + filler + close.length : 0);
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			String headers = "POST /jobs HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nContent-Type: application/json\r\nConnection: close\r\n"
					+ (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
			out.write(headers.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Thread writer = new Thread(() -> {
				try {
					write(out, head, chunked);
					if (filler > 0) {
						write(out, open, chunked);
						byte[] block = "{},".repeat(21_000).getBytes(StandardCharsets.UTF_8);
						for (long done = 0; done < filler; done += block.length) {
							write(out, block, chunked);
						}
						write(out, close, chunked);
					}
					write(out, tail, chunked);
					if (chunked) {
						out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					}
					out.flush();
				}
				catch (IOException ex) {
					// the server answered and closed before the whole body was sent: what is expected
				}
			}, "oversized-body-writer");
			writer.setDaemon(true);
			writer.start();
			return read(socket.getInputStream());
		}
	}

	private static void write(OutputStream out, byte[] bytes, boolean chunked) throws IOException {
		if (chunked) {
			out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		}
		out.write(bytes);
		if (chunked) {
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
	}

	private static String read(InputStream in) {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				answer.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			// a reset after the answer: keep what came
		}
		return answer.toString(StandardCharsets.UTF_8);
	}

}
