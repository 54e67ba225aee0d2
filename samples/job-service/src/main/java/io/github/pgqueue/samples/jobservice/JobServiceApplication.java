package io.github.pgqueue.samples.jobservice;

import io.github.pgqueue.samples.jobservice.jobs.DeliverWebhook;
import io.github.pgqueue.samples.jobservice.jobs.JobTypes;
import io.github.pgqueue.samples.jobservice.jobs.ProcessImage;
import io.github.pgqueue.samples.jobservice.jobs.SendEmail;
import io.github.pgqueue.samples.jobservice.jobs.SourceImages;
import io.github.pgqueue.samples.jobservice.jobs.WebhookAddresses;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The sample job service: {@code POST /jobs} submits a {@code send-email}, {@code process-image} or
 * {@code deliver-webhook} job, the handlers run it, and {@code GET /jobs/{id}} shows how it went.
 * It needs no set-up: a database is found (see {@code database}) and email goes to an embedded SMTP
 * sink unless {@code spring.mail.host} is set.
 */
@SpringBootApplication
@EnableConfigurationProperties(JobServiceProperties.class)
public class JobServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(JobServiceApplication.class, args);
	}

	/**
	 * The job types {@code POST /jobs} accepts; each has a handler in this application.
	 * @return the catalogue
	 */
	@Bean
	JobTypes jobTypes() {
		return JobTypes.of(SendEmail.class, ProcessImage.class, DeliverWebhook.class);
	}

	/**
	 * @param properties the service's settings
	 * @param resolver a {@code DnsResolver} bean for webhook host names, if any (else the system's)
	 * @return the addresses webhooks may reach
	 */
	@Bean
	WebhookAddresses webhookAddresses(JobServiceProperties properties, ObjectProvider<DnsResolver> resolver) {
		return new WebhookAddresses(properties.getWebhook().getAllowedAddresses(),
				resolver.getIfAvailable(() -> SystemDefaultDnsResolver.INSTANCE));
	}

	/**
	 * @param properties the service's settings
	 * @return the folder process-image jobs read from
	 */
	@Bean
	SourceImages sourceImages(JobServiceProperties properties) {
		return new SourceImages(properties.getThumbnails().getSourceFolder());
	}

}
