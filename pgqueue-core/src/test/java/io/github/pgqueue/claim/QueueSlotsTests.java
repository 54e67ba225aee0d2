package io.github.pgqueue.claim;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue's slots: what the poller may claim, with jobs claimed ahead while jobs prove short, and
 * with jobs whose handler is done but whose outcome is still being written.
 */
class QueueSlotsTests {

	private static final long ONE_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void untilJobsProveShortItClaimsOnlyWhatItCanStart() {
		QueueSlots slots = new QueueSlots("q", 2, false);
		assertThat(slots.free()).isEqualTo(2);
		slots.take(2);
		assertThat(slots.free()).isZero();
	}

	@Test
	void shortJobsAreClaimedAheadUpTo32TimesTheConcurrency() {
		QueueSlots slots = shortJobs(2);
		assertThat(slots.free()).isEqualTo(2 + 64);
	}

	@Test
	void jobsWhoseHandlerIsDoneDoNotHoldBackTheRoomClaimedAhead() {
		QueueSlots slots = shortJobs(2);
		slots.take(66);
		assertThat(slots.free()).isZero();
		slots.setMayHaveMore(true);
		for (int i = 0; i < 31; i++) {
			assertThat(slots.handlerDone()).as("below half the room: not worth a claim yet").isFalse();
		}
		assertThat(slots.handlerDone()).as("half the room claimed ahead is free again: claim").isTrue();
		assertThat(slots.free()).isEqualTo(32);
		// their outcomes written: the slots are given back, and the room they took is free still
		for (int i = 0; i < 32; i++) {
			slots.release(ONE_MILLI, true);
		}
		assertThat(slots.free()).isEqualTo(32);
	}

	@Test
	void outcomesSlowToWriteStillBoundTheJobsHeld() {
		QueueSlots slots = shortJobs(2);
		slots.take(66);
		for (int i = 0; i < 66; i++) {
			slots.handlerDone();
		}
		assertThat(slots.free()).as("a second room of claimed-ahead size at most").isEqualTo(64);
		slots.take(64);
		assertThat(slots.free()).isZero();
	}

	@Test
	void withLongJobsADoneHandlerFreesNothingUntilItsOutcomeIsWritten() {
		QueueSlots slots = new QueueSlots("q", 2, false);
		slots.take(1);
		slots.release(100 * ONE_MILLI, false);
		slots.take(2);
		slots.handlerDone();
		assertThat(slots.free()).isZero();
		slots.release(100 * ONE_MILLI, true);
		assertThat(slots.free()).isEqualTo(1);
	}

	// slots whose jobs have proved short: one ran for a millisecond
	private static QueueSlots shortJobs(int concurrency) {
		QueueSlots slots = new QueueSlots("q", concurrency, false);
		slots.take(1);
		slots.release(ONE_MILLI, false);
		return slots;
	}

}
