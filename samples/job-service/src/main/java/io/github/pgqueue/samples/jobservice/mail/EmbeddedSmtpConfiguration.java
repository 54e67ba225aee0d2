package io.github.pgqueue.samples.jobservice.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.pgqueue.samples.jobservice.JobServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * When no mail server is configured (neither {@code spring.mail.host} nor
 * {@code spring.mail.jndi-name}, the properties that make Spring Boot create a
 * {@code JavaMailSender}), starts an embedded SMTP sink (GreenMail) on {@code 127.0.0.1} and a
 * {@code JavaMailSender} that sends to it, so {@code send-email} jobs work with no mail server.
 * Email sent there is kept in memory and never delivered; {@code GET /emails} lists it. Setting
 * {@code spring.mail.host} turns all of this off and sends through that server instead.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedSmtpConfiguration.NoMailServerConfigured.class)
public class EmbeddedSmtpConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedSmtpConfiguration.class);

	private static final String LOOPBACK = "127.0.0.1";

	@Bean(destroyMethod = "stop")
	GreenMail embeddedSmtpSink(JobServiceProperties properties) {
		ServerSetup smtp = new ServerSetup(properties.getMail().getEmbeddedSmtpPort(), LOOPBACK,
				ServerSetup.PROTOCOL_SMTP);
		GreenMail sink = new GreenMail(smtp)
			.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
		sink.start();
		logger.info("No spring.mail.host set: email goes to the embedded SMTP sink on {}:{}, kept in memory and "
				+ "listed at GET /emails. Set spring.mail.host (and spring.mail.port, username, password) to send "
				+ "through a real server.", LOOPBACK, sink.getSmtp().getPort());
		return sink;
	}

	@Bean
	JavaMailSenderImpl mailSender(GreenMail embeddedSmtpSink) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(LOOPBACK);
		sender.setPort(embeddedSmtpSink.getSmtp().getPort());
		sender.setProtocol(ServerSetup.PROTOCOL_SMTP);
		return sender;
	}

	/**
	 * Matches when Spring Boot would not create a {@code JavaMailSender} from properties.
	 */
	static final class NoMailServerConfigured extends NoneNestedConditions {

		NoMailServerConfigured() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty(prefix = "spring.mail", name = "host")
		static final class HostProperty {

		}

		@ConditionalOnProperty(prefix = "spring.mail", name = "jndi-name")
		static final class JndiNameProperty {

		}

	}

}
