package io.github.pgqueue.samples.jobservice.jobs;

import io.github.pgqueue.Job;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JobTypesTests {

	@Test
	void findsEachTypeByItsKindAndListsTheKindsSorted() {
		JobTypes types = JobTypes.of(SendEmail.class, ProcessImage.class, DeliverWebhook.class);
		assertThat(types.kinds()).containsExactly("deliver-webhook", "process-image", "send-email");
		assertThat(types.payloadType("process-image")).contains(ProcessImage.class);
		assertThat(types.payloadType("send-fax")).isEmpty();
	}

	@Test
	void rejectsATypeWithoutJob() {
		assertThatIllegalArgumentException().isThrownBy(() -> JobTypes.of(Unnamed.class))
			.withMessageContaining("carries no @Job");
	}

	@Test
	void rejectsTwoTypesOfOneKind() {
		assertThatIllegalArgumentException().isThrownBy(() -> JobTypes.of(SendEmail.class, OtherEmail.class))
			.withMessageContaining("job type 'send-email' is declared by");
	}

	record Unnamed(String value) {
	}

	@Job("send-email")
	record OtherEmail(String to) {
	}

}
