package io.github.pgqueue.dashboard;

import io.github.pgqueue.autoconfigure.PgQueueProperties;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may act: nobody while read-only; with Spring Security only the role; without it only when
 * explicitly allowed. And the synchronizer token of the session.
 */
class DashboardActionsTests {

	@Test
	void aReadOnlyDashboardRefusesEveryoneEvenTheRole() {
		PgQueueProperties.Dashboard properties = new PgQueueProperties.Dashboard();
		MockHttpServletRequest admin = new MockHttpServletRequest();
		admin.addUserRole("PGQUEUE_ADMIN");

		assertThat(new DashboardActions(properties, true).refusal(admin)).hasValueSatisfying(
				(reason) -> assertThat(reason).contains("read-only"));
	}

	@Test
	void withSecurityOnlyTheConfiguredRoleMayAct() {
		PgQueueProperties.Dashboard properties = new PgQueueProperties.Dashboard();
		properties.setReadOnly(false);
		properties.setRole("OPS");
		DashboardActions actions = new DashboardActions(properties, true);
		MockHttpServletRequest ops = new MockHttpServletRequest();
		ops.addUserRole("OPS");
		MockHttpServletRequest other = new MockHttpServletRequest();
		other.addUserRole("PGQUEUE_ADMIN");

		assertThat(actions.mayAct(ops)).isTrue();
		assertThat(actions.refusal(other)).hasValueSatisfying((reason) -> assertThat(reason).contains("OPS"));
	}

	@Test
	void withoutSecurityActionsStayOffUnlessExplicitlyAllowed() {
		PgQueueProperties.Dashboard properties = new PgQueueProperties.Dashboard();
		properties.setReadOnly(false);
		MockHttpServletRequest anyone = new MockHttpServletRequest();

		assertThat(new DashboardActions(properties, false).refusal(anyone)).hasValueSatisfying(
				(reason) -> assertThat(reason).contains("allow-actions-without-security"));
		properties.setAllowActionsWithoutSecurity(true);
		assertThat(new DashboardActions(properties, false).mayAct(anyone)).isTrue();
	}

	@Test
	void onlyTheTokenOfTheSessionMatches() {
		DashboardActions actions = new DashboardActions(new PgQueueProperties.Dashboard(), false);
		MockHttpServletRequest request = new MockHttpServletRequest();
		String fields = actions.formFields(request);
		String token = fields.replaceAll(".*name=\"pgqueue_token\" value=\"([^\"]+)\".*", "$1");

		assertThat(actions.tokenMatches(request, token)).isTrue();
		assertThat(actions.tokenMatches(request, token + "x")).isFalse();
		assertThat(actions.tokenMatches(request, null)).isFalse();
		assertThat(actions.tokenMatches(new MockHttpServletRequest(), token)).isFalse();
	}

}
