package io.github.pgqueue.samples.jobservice.mail;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /emails}: every email the embedded SMTP sink received since the service started,
 * oldest first. Present only while the sink is (no {@code spring.mail.host}).
 */
@RestController
@Conditional(EmbeddedSmtpConfiguration.NoMailServerConfigured.class)
public class EmbeddedSmtpController {

	private final GreenMail sink;

	EmbeddedSmtpController(GreenMail sink) {
		this.sink = sink;
	}

	@GetMapping("/emails")
	public List<ReceivedEmail> emails() throws MessagingException, IOException {
		MimeMessage[] messages = this.sink.getReceivedMessages();
		List<ReceivedEmail> emails = new ArrayList<>(messages.length);
		for (MimeMessage message : messages) {
			emails.add(ReceivedEmail.of(message));
		}
		return emails;
	}

	/**
	 * One email as the sink received it.
	 *
	 * @param from the sender
	 * @param to the recipients
	 * @param subject the subject
	 * @param body the text
	 * @param sentAt the date the sender put on it
	 */
	public record ReceivedEmail(@Nullable String from, List<String> to, @Nullable String subject, String body,
			@Nullable Instant sentAt) {

		static ReceivedEmail of(MimeMessage message) throws MessagingException, IOException {
			Address[] from = message.getFrom();
			Address[] to = message.getRecipients(Message.RecipientType.TO);
			Object content = message.getContent();
			return new ReceivedEmail((from != null && from.length > 0) ? from[0].toString() : null,
					(to != null) ? Arrays.stream(to).map(Address::toString).toList() : List.of(), message.getSubject(),
					(content instanceof String text) ? text.strip() : GreenMailUtil.getBody(message),
					(message.getSentDate() != null) ? message.getSentDate().toInstant() : null);
		}

	}

}
