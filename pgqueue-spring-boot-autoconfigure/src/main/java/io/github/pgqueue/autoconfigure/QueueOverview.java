package io.github.pgqueue.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.github.pgqueue.JobState;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.QueueStateCount;

/**
 * Exact job counts per queue and state, with every configured queue and every state present (as 0),
 * for the endpoint. Counting reads the whole job table, so it runs only on an operator's request,
 * never on a timer (health and the depth gauge read the queues' heads and statistics instead).
 *
 * @param queues counts by queue name, then by state
 * @param oldestWaiting per queue, how long its longest-waiting runnable job has waited
 */
public record QueueOverview(Map<String, Map<JobState, Long>> queues, Map<String, Duration> oldestWaiting) {

	public static QueueOverview read(JobStore store, Collection<String> configuredQueues) {
		Map<String, Map<JobState, Long>> queues = new TreeMap<>();
		Map<String, Duration> oldest = new TreeMap<>();
		configuredQueues.forEach((queue) -> queues.put(queue, zeros()));
		for (QueueStateCount count : store.queries().countByQueueAndState()) {
			queues.computeIfAbsent(count.queue(), (queue) -> zeros()).put(count.state(), count.jobs());
			if (count.oldestWaiting() != null) {
				oldest.put(count.queue(), count.oldestWaiting());
			}
		}
		return new QueueOverview(queues, oldest);
	}

	private static Map<JobState, Long> zeros() {
		Map<JobState, Long> counts = new LinkedHashMap<>();
		for (JobState state : JobState.values()) {
			counts.put(state, 0L);
		}
		return counts;
	}

	public long total(JobState state) {
		return this.queues.values().stream().mapToLong((counts) -> counts.get(state)).sum();
	}

	/** @return the overview as JSON-friendly maps: state names in lower case */
	public Map<String, Object> describe() {
		Map<String, Object> described = new LinkedHashMap<>();
		this.queues.forEach((queue, counts) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			counts.forEach((state, jobs) -> entry.put(state.dbValue(), jobs));
			Duration oldest = this.oldestWaiting.get(queue);
			entry.put("oldestWaitingSeconds", (oldest != null) ? oldest.toMillis() / 1000.0 : 0.0);
			described.put(queue, entry);
		});
		return described;
	}

}
