package io.github.pgqueue.dashboard;


import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import io.github.pgqueue.autoconfigure.PgQueueProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;

/**
 * Who may act on the dashboard, and the forms' protection against cross-site requests.
 * <ul>
 * <li>Read-only ({@code pgqueue.dashboard.read-only}, the default): nobody acts.</li>
 * <li>With Spring Security: only users in {@code pgqueue.dashboard.role}; who may look is the
 * application's own security's decision.</li>
 * <li>Without it: nobody, unless {@code pgqueue.dashboard.allow-actions-without-security} is set.</li>
 * </ul>
 * Every action form carries the dashboard's own synchronizer token, kept in the user's session and
 * compared in constant time, and Spring Security's CSRF token too when its filter runs. Every action
 * is logged (logger {@code io.github.pgqueue.dashboard.audit}) with who did it.
 */
public class DashboardActions {

	/** The form field of the dashboard's own token. */
	static final String TOKEN_PARAMETER = "pgqueue_token";

	private static final String TOKEN_ATTRIBUTE = DashboardActions.class.getName() + ".token";

	private static final boolean SPRING_CSRF_PRESENT = ClassUtils
		.isPresent("org.springframework.security.web.csrf.CsrfToken", DashboardActions.class.getClassLoader());

	private static final Logger audit = LoggerFactory.getLogger("io.github.pgqueue.dashboard.audit");

	private final SecureRandom random = new SecureRandom();

	private final PgQueueProperties.Dashboard properties;

	private final boolean securityPresent;

	public DashboardActions(PgQueueProperties.Dashboard properties, boolean securityPresent) {
		this.properties = properties;
		this.securityPresent = securityPresent;
	}

	/** @return why this request may not act, or empty when it may */
	public Optional<String> refusal(HttpServletRequest request) {
		if (this.properties.isReadOnly()) {
			return Optional.of("The dashboard is read-only (pgqueue.dashboard.read-only=true).");
		}
		if (this.securityPresent) {
			if (!request.isUserInRole(this.properties.getRole())) {
				return Optional.of("Acting needs the role " + this.properties.getRole() + " (pgqueue.dashboard.role).");
			}
			return Optional.empty();
		}
		if (!this.properties.isAllowActionsWithoutSecurity()) {
			return Optional.of("Actions need Spring Security, or pgqueue.dashboard.allow-actions-without-security=true.");
		}
		return Optional.empty();
	}

	/** @return whether the dashboard offers actions to this request */
	public boolean mayAct(HttpServletRequest request) {
		return refusal(request).isEmpty();
	}

	/** @return the hidden form fields an action form needs: the dashboard's token, and Spring Security's */
	public String formFields(HttpServletRequest request) {
		StringBuilder fields = new StringBuilder();
		fields.append(hidden(TOKEN_PARAMETER, token(request.getSession(true))));
		if (SPRING_CSRF_PRESENT) {
			Object csrf = request.getAttribute("org.springframework.security.web.csrf.CsrfToken");
			if (csrf instanceof org.springframework.security.web.csrf.CsrfToken token) {
				fields.append(hidden(token.getParameterName(), token.getToken()));
			}
		}
		return fields.toString();
	}

	/** @return whether the request carries the token of its session */
	public boolean tokenMatches(HttpServletRequest request, @Nullable String token) {
		HttpSession session = request.getSession(false);
		if (session == null || token == null) {
			return false;
		}
		Object expected = session.getAttribute(TOKEN_ATTRIBUTE);
		return expected instanceof String value && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
				token.getBytes(StandardCharsets.UTF_8));
	}

	/** Logs an action with who did it. */
	public void log(HttpServletRequest request, String action, String target, String outcome) {
		audit.info("pgqueue dashboard: {} {} by {} from {}: {}", action, target, who(request),
				request.getRemoteAddr(), outcome);
	}

	/** Logs a refused action with who tried it. */
	public void logRefused(HttpServletRequest request, String action, String target, String reason) {
		audit.warn("pgqueue dashboard: refused {} {} by {} from {}: {}", action, target, who(request),
				request.getRemoteAddr(), reason);
	}

	static String who(HttpServletRequest request) {
		String user = request.getRemoteUser();
		return (user != null) ? user : "anonymous";
	}

	private String token(HttpSession session) {
		Object token = session.getAttribute(TOKEN_ATTRIBUTE);
		if (token instanceof String value) {
			return value;
		}
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String created = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		session.setAttribute(TOKEN_ATTRIBUTE, created);
		return created;
	}

	private static String hidden(String name, String value) {
		return "<input type=\"hidden\" name=\"" + Html.escape(name) + "\" value=\"" + Html.escape(value) + "\">";
	}

}
