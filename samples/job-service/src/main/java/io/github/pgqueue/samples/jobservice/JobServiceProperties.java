package io.github.pgqueue.samples.jobservice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The job service's own settings, under {@code job-service}. Unknown properties under the prefix
 * fail the start, so a mistyped one is never silently ignored.
 */
@ConfigurationProperties(prefix = "job-service", ignoreUnknownFields = false)
public class JobServiceProperties {

	private final Thumbnails thumbnails = new Thumbnails();

	private final Webhook webhook = new Webhook();

	private final Mail mail = new Mail();

	public Thumbnails getThumbnails() {
		return this.thumbnails;
	}

	public Webhook getWebhook() {
		return this.webhook;
	}

	public Mail getMail() {
		return this.mail;
	}

	/**
	 * The process-image jobs.
	 */
	public static class Thumbnails {

		/**
		 * Folder the thumbnails are written to; created when missing. Defaults to
		 * "pgqueue-job-service/thumbnails" in the temporary folder.
		 */
		private Path outputFolder = Path.of(System.getProperty("java.io.tmpdir"), "pgqueue-job-service",
				"thumbnails");

		/**
		 * Folder the source images are read from: a job's source is a path relative to it, and a
		 * path leading outside it (through "..", an absolute path or a symbolic link) is refused.
		 * Created when missing. Defaults to "pgqueue-job-service/images" in the temporary folder.
		 */
		private Path sourceFolder = Path.of(System.getProperty("java.io.tmpdir"), "pgqueue-job-service", "images");

		public Path getSourceFolder() {
			return this.sourceFolder;
		}

		public void setSourceFolder(Path sourceFolder) {
			this.sourceFolder = sourceFolder;
		}

		public Path getOutputFolder() {
			return this.outputFolder;
		}

		public void setOutputFolder(Path outputFolder) {
			this.outputFolder = outputFolder;
		}

	}

	/**
	 * The deliver-webhook jobs.
	 */
	public static class Webhook {

		/**
		 * How long to wait for a webhook receiver to accept the connection.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * How long to wait for a webhook receiver's response once connected.
		 */
		private Duration readTimeout = Duration.ofSeconds(10);

		/**
		 * Address ranges webhooks may reach although they are loopback, private, link-local or
		 * otherwise special (refused by default), in CIDR notation, such as 127.0.0.1/32 for a
		 * receiver on this machine during development.
		 */
		private List<String> allowedAddresses = new ArrayList<>();

		public List<String> getAllowedAddresses() {
			return this.allowedAddresses;
		}

		public void setAllowedAddresses(List<String> allowedAddresses) {
			this.allowedAddresses = allowedAddresses;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

	}

	/**
	 * The send-email jobs.
	 */
	public static class Mail {

		/**
		 * Sender address of the email sent.
		 */
		private String from = "pgqueue-job-service@localhost";

		/**
		 * Port of the embedded SMTP sink, started on 127.0.0.1 when spring.mail.host is not set; 0
		 * (the default) for any free port, logged at startup.
		 */
		private int embeddedSmtpPort = 0;

		public String getFrom() {
			return this.from;
		}

		public void setFrom(String from) {
			this.from = from;
		}

		public int getEmbeddedSmtpPort() {
			return this.embeddedSmtpPort;
		}

		public void setEmbeddedSmtpPort(int embeddedSmtpPort) {
			this.embeddedSmtpPort = embeddedSmtpPort;
		}

	}

}
