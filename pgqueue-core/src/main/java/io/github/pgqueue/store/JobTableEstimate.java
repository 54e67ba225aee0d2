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
	 * @return the estimated jobs of the queue in the state, taking queue and state as independent (the
	 * statistics hold no joint distribution): good for the queue that holds most jobs, rough for the
	 * others
	 */
	public long jobs(String queue, JobState state) {
		Double stateFraction = this.stateFractions.get(state.dbValue());
		if (stateFraction == null || this.rows <= 0) {
			return 0;
		}
		return Math.round(this.rows * queueFraction(queue) * stateFraction);
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
