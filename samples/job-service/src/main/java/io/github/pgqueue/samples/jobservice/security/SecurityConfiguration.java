package io.github.pgqueue.samples.jobservice.security;

import io.github.pgqueue.autoconfigure.PgQueueProperties;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The service secured: every actuator endpoint but {@code health} and {@code info} (so the
 * {@code pgqueue} endpoint's reads and writes, metrics and Prometheus) only for a user with the role
 * {@value #OPERATOR_ROLE}, over HTTP Basic; the user is Spring Boot's {@code spring.security.user.*}
 * (name {@code operator}; with no {@code password} set, Boot logs a generated one at start).
 * {@code health} answers anyone with its status, and its details only the operator
 * ({@code management.endpoint.health.show-details=when-authorized}). {@code POST /jobs},
 * {@code GET /jobs/{id}} and the embedded SMTP sink's {@code /emails} stay open, as a sample's demo
 * API: a real service puts its own authentication in front of them. No session and no CSRF token:
 * every call carries its credentials, and the actuator takes only JSON bodies.
 * <p>
 * The dashboard ({@code pgqueue.dashboard.path}, {@code /pgqueue}) has a chain of its own, first: only
 * the operator may look, and act ({@code pgqueue.dashboard.role} is {@value #OPERATOR_ROLE}); a browser
 * signs in with HTTP Basic, and its forms carry Spring Security's CSRF token, kept in the session.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	/** The role of the user who may operate the queues. */
	public static final String OPERATOR_ROLE = "PGQUEUE_OPERATOR";

	@Bean
	@Order(1)
	SecurityFilterChain dashboardSecurityFilterChain(HttpSecurity http, PgQueueProperties pgqueue) throws Exception {
		String path = pgqueue.getDashboard().getPath();
		http.securityMatcher(path, path + "/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole(OPERATOR_ROLE))
			.httpBasic(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health", "info"))
			.permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.hasRole(OPERATOR_ROLE)
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

}
