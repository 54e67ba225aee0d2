package io.github.pgqueue.samples.jobservice.jobs;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.samples.jobservice.JobServiceProperties;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Runs {@code send-email} jobs through Spring's {@link JavaMailSender}: the embedded SMTP sink by
 * default, a real server when {@code spring.mail.host} is set. Sending is a {@code runOnce} step
 * with the default policy, at most once: once recorded it is never repeated, and if a crash leaves it
 * in doubt (SMTP has no idempotency key) the job goes to the dead letter naming the step rather than
 * risk a second email. A failed send is forgotten and retried with backoff.
 */
@Component
public class EmailJobs {

	private final JavaMailSender mailSender;

	private final String from;

	public EmailJobs(JavaMailSender mailSender, JobServiceProperties properties) {
		this.mailSender = mailSender;
		this.from = properties.getMail().getFrom();
	}

	@JobHandler
	void send(SendEmail email, JobContext ctx) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(email.to());
		message.setSubject(email.subject());
		message.setText((email.body() != null) ? email.body() : "");
		ctx.runOnce("smtp", () -> this.mailSender.send(message));
	}

}
