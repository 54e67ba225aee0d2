package io.github.pgqueue.store;

import java.util.Map;

import io.github.pgqueue.JobState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue's finished jobs, estimated from the table's statistics and its counted unfinished jobs.
 */
class JobTableEstimateTests {

	// 1,000 rows: queue a 90%, b 10%; 80% completed, 5% dead, 15% available
	private final JobTableEstimate estimate = new JobTableEstimate(1000, Map.of("a", 0.9, "b", 0.1), 3,
			Map.of("completed", 0.8, "dead", 0.05, "available", 0.15));

	@Test
	void aQueuesFinishedJobsAreItsShareOfTheRowsLessItsUnfinishedOnes() {
		assertThat(this.estimate.finished("a", JobState.COMPLETED, 50)).isEqualTo(Math.round(850 * 0.8 / 0.85));
		assertThat(this.estimate.finished("a", JobState.DEAD, 50)).isEqualTo(Math.round(850 * 0.05 / 0.85));
	}

	@Test
	void aQueueWhoseRowsAreAllUnfinishedHasNoFinishedJobs() {
		assertThat(this.estimate.finished("b", JobState.COMPLETED, 100)).isZero();
		assertThat(this.estimate.finished("b", JobState.COMPLETED, 150)).isZero();
	}

	@Test
	void aQueueOutsideTheMostCommonValuesSharesWhatTheyLeave() {
		JobTableEstimate withRest = new JobTableEstimate(1000, Map.of("a", 0.9), 3, Map.of("completed", 1.0));
		assertThat(withRest.finished("c", JobState.COMPLETED, 0)).isEqualTo(50);
	}

	@Test
	void nothingIsEstimatedForUnfinishedStatesOrBeforeTheFirstAnalyze() {
		assertThat(this.estimate.finished("a", JobState.AVAILABLE, 0)).isZero();
		assertThat(new JobTableEstimate(0, Map.of(), 0, Map.of()).finished("a", JobState.COMPLETED, 0)).isZero();
	}

}
