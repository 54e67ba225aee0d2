package io.github.pgqueue.samples.jobservice.mail;

import com.icegreen.greenmail.util.GreenMail;
import io.github.pgqueue.samples.jobservice.JobServiceProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSmtpConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
		.withUserConfiguration(Properties.class, EmbeddedSmtpConfiguration.class, EmbeddedSmtpController.class)
		.withPropertyValues("job-service.mail.embedded-smtp-port=0");

	@Test
	void withoutAMailHostTheMailSenderSendsToTheEmbeddedSink() {
		this.contextRunner.run((context) -> {
			GreenMail sink = context.getBean(GreenMail.class);
			JavaMailSenderImpl sender = (JavaMailSenderImpl) context.getBean(JavaMailSender.class);
			assertThat(sender.getHost()).isEqualTo("127.0.0.1");
			assertThat(sender.getPort()).isEqualTo(sink.getSmtp().getPort()).isPositive();
			SimpleMailMessage message = new SimpleMailMessage();
			message.setFrom("a@example.com");
			message.setTo("b@example.com");
			message.setSubject("ping");
			message.setText("pong");
			sender.send(message);
			assertThat(context.getBean(EmbeddedSmtpController.class).emails())
				.singleElement()
				.satisfies((email) -> {
					assertThat(email.to()).containsExactly("b@example.com");
					assertThat(email.subject()).isEqualTo("ping");
					assertThat(email.body()).isEqualTo("pong");
				});
		});
	}

	@Test
	void aMailHostTurnsTheSinkOffAndSpringBootsSenderUsesThatHost() {
		this.contextRunner.withPropertyValues("spring.mail.host=smtp.example.com", "spring.mail.port=2525")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(GreenMail.class).doesNotHaveBean(EmbeddedSmtpController.class);
				JavaMailSenderImpl sender = (JavaMailSenderImpl) context.getBean(JavaMailSender.class);
				assertThat(sender.getHost()).isEqualTo("smtp.example.com");
				assertThat(sender.getPort()).isEqualTo(2525);
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(JobServiceProperties.class)
	static class Properties {

	}

}
