package io.github.pgqueue.store;

import java.util.Map;

import io.github.pgqueue.JobState;

/**
 * The job table's size and its spread over queues and states, as PostgreSQL's statistics give them
 * ({@code pg_class.reltuples} scaled to the table's current size, and {@code pg_stats}' most common
 * values of {@code queue} and of {@code state}): estimates that cost nothing to read, as good as the
 * last {@code ANALYZE} (autovacuum's or a manual one), and zero before the first.
 *
 * @param rows the estimated rows in the table
 * @param queueFractions the fraction of rows of each of the most common queues
 * @param queueDistinct the estimated number of distinct queues
 * @param stateFractions the fraction of rows in each of the most common states
 */
public record JobTableEstimate(double rows, Map<String, Double> queueFractions, double queueDistinct,
		Map<String, Double> stateFractions) {

	public JobTableEstimate {
		queueFractions = Map.copyOf(queueFractions);
		stateFractions = Map.copyOf(stateFractions);
	}

	/**
	 * Estimates a queue's finished jobs in one state: the queue's share of the table's rows, less the
	 * jobs known to be unfinished there, spread over the finished states as the whole table spreads
	 * them (the statistics hold no joint distribution of queue and state).
	 * @param queue the queue
	 * @param state a finished state
	 * @param unfinished the queue's available and running jobs, as counted
	 * @return the estimated jobs, 0 for an unfinished state or before the table's first {@code ANALYZE}
	 */
	public long finished(String queue, JobState state, long unfinished) {
		Double stateFraction = this.stateFractions.get(state.dbValue());
		double finishedFraction = 0;
		for (JobState finished : JobState.values()) {
			if (finished.isFinal()) {
				finishedFraction += this.stateFractions.getOrDefault(finished.dbValue(), 0.0);
			}
		}
		if (!state.isFinal() || stateFraction == null || finishedFraction <= 0 || this.rows <= 0) {
			return 0;
		}
		double queueRows = this.rows * queueFraction(queue);
		return Math.round(Math.max(0, queueRows - unfinished) * stateFraction / finishedFraction);
	}

	private double queueFraction(String queue) {
		Double common = this.queueFractions.get(queue);
		if (common != null) {
			return common;
		}
		double others = this.queueDistinct - this.queueFractions.size();
		if (others < 1) {
			return 0;
		}
		double rest = 1 - this.queueFractions.values().stream().mapToDouble(Double::doubleValue).sum();
		return Math.max(0, rest) / others;
	}

}
