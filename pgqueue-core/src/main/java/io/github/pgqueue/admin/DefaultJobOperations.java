package io.github.pgqueue.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.github.pgqueue.DeadKind;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.FinishedPerMinute;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobListing;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobPage;
import io.github.pgqueue.JobState;
import io.github.pgqueue.QueueStatus;
import io.github.pgqueue.LeaseHolder;
import io.github.pgqueue.PeriodicTick;
import io.github.pgqueue.QueueSummary;
import io.github.pgqueue.config.StorableText;
import io.github.pgqueue.store.DeadCount;
import io.github.pgqueue.store.JobStore;
import io.github.pgqueue.store.MonitorStore;
import io.github.pgqueue.store.PeriodicStore;
import io.github.pgqueue.store.QueryStore;
import io.github.pgqueue.store.QueueHead;
import io.github.pgqueue.store.QueueStore;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobOperations} over the store. Validates its arguments before writing anything.
 */
public final class DefaultJobOperations implements JobOperations {

	/** The most periodic jobs {@link #periodicTicks()} lists. */
	private static final int MAX_PERIODIC = 1000;

	private final QueryStore queries;

	private final QueueStore queues;

	private final PeriodicStore periodic;

	private final MonitorStore monitor;

	public DefaultJobOperations(JobStore store) {
		this.queries = store.queries();
		this.queues = store.queues();
		this.periodic = store.periodic();
		this.monitor = store.monitor();
	}

	@Override
	public List<JobInfo> findDead(@Nullable String kind, int limit) {
		if (limit < 1 || limit > 1000) {
			throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
		}
		if (kind != null) {
			StorableText.require("kind", kind);
		}
		return this.queries.findDead(kind, limit);
	}

	@Override
	public int retryDead(String kind) {
		if (kind == null || kind.isBlank()) {
			throw new IllegalArgumentException("kind must not be blank");
		}
		StorableText.require("kind", kind);
		return this.queries.retryDeadOfKind(kind, EngineSettings.MAINTENANCE_BATCH);
	}

	@Override
	public boolean discard(JobId id) {
		Objects.requireNonNull(id, "id");
		return this.queries.deleteIfDead(id.value());
	}

	@Override
	public void pause(String queue) {
		this.queues.setQueuePaused(requireQueueName(queue), true);
	}

	@Override
	public void resume(String queue) {
		this.queues.setQueuePaused(requireQueueName(queue), false);
	}

	@Override
	public List<String> pausedQueues() {
		return this.queues.pausedQueues();
	}

	@Override
	public List<QueueStatus> queues() {
		return this.queries.queueStatuses();
	}

	@Override
	public JobPage list(JobListing listing) {
		Objects.requireNonNull(listing, "listing");
		if (listing.queue() != null) {
			StorableText.require("queue", listing.queue());
		}
		if (listing.kind() != null) {
			StorableText.require("kind", listing.kind());
		}
		long before = (listing.before() != null) ? listing.before().value() : Long.MAX_VALUE;
		// one more than asked tells whether a next page exists
		int limit = listing.limit() + 1;
		boolean filtered = listing.state() != null || listing.queue() != null || listing.kind() != null;
		boolean windowed = filtered && listing.state() != JobState.RUNNING;
		List<JobInfo> jobs;
		if (!filtered) {
			jobs = this.queries.list(before, limit);
		}
		else if (!windowed) {
			jobs = this.queries.listRunning(listing.queue(), listing.kind(), before, limit);
		}
		else {
			jobs = this.queries.listInWindow(listing.state(), listing.queue(), listing.kind(), before,
					JobListing.SEARCH_WINDOW, limit);
		}
		if (jobs.size() > listing.limit()) {
			List<JobInfo> page = jobs.subList(0, listing.limit());
			return new JobPage(page, Optional.of(listing.before(page.get(page.size() - 1).id())));
		}
		if (!windowed) {
			return new JobPage(jobs, Optional.empty());
		}
		// every match of the window is on this page: the next one searches on from the window's edge
		OptionalLong edge = this.queries.windowEdgeIfFull(before, JobListing.SEARCH_WINDOW);
		return new JobPage(jobs, edge.isPresent() ? Optional.of(listing.before(JobId.of(edge.getAsLong())))
				: Optional.empty());
	}

	private static String requireQueueName(String queue) {
		return EnqueueOptions.builder().queue(queue).build().queue().orElseThrow(
				() -> new IllegalArgumentException("queue must not be null"));
	}

	@Override
	public List<QueueSummary> queueSummaries(Collection<String> queues) {
		Objects.requireNonNull(queues, "queues");
		Set<String> paused = new TreeSet<>(this.queues.pausedQueues());
		Set<String> named = new TreeSet<>(queues);
		named.addAll(paused);
		Map<String, QueueHead> heads = new TreeMap<>();
		for (QueueHead head : this.monitor.queueHeads(named, SUMMARY_CAP)) {
			heads.put(head.queue(), head);
		}
		Map<String, long[]> due = this.monitor.countWaitingAndScheduledUpTo(heads.keySet(), SUMMARY_CAP);
		Map<String, Long> dead = new TreeMap<>();
		long deadLookedAt = 0;
		for (DeadCount count : this.monitor.countRecentDead(SUMMARY_CAP)) {
			dead.merge(count.queue(), count.jobs(), Long::sum);
			deadLookedAt += count.jobs();
		}
		boolean deadCapped = deadLookedAt >= SUMMARY_CAP;
		Set<String> all = new TreeSet<>(heads.keySet());
		all.addAll(dead.keySet());
		List<QueueSummary> summaries = new ArrayList<>(all.size());
		for (String queue : all) {
			QueueHead head = heads.get(queue);
			long[] counts = due.getOrDefault(queue, new long[2]);
			summaries.add(new QueueSummary(queue, counts[0], counts[1], (head != null) ? head.running() : 0,
					dead.getOrDefault(queue, 0L), deadCapped, (head != null) ? head.oldestWaiting() : null,
					paused.contains(queue), SUMMARY_CAP));
		}
		return summaries;
	}

	@Override
	public List<FinishedPerMinute> finishedPerMinute(int minutes) {
		if (minutes < 1 || minutes > 1440) {
			throw new IllegalArgumentException("minutes must be between 1 and 1440, was " + minutes);
		}
		return this.monitor.countFinishedPerMinute(minutes);
	}

	@Override
	public Optional<JobInfo> findByIdempotencyKey(String idempotencyKey) {
		if (idempotencyKey == null || idempotencyKey.isEmpty()) {
			throw new IllegalArgumentException("idempotencyKey must not be empty");
		}
		StorableText.require("idempotencyKey", idempotencyKey);
		return this.queries.findByIdempotencyKey(idempotencyKey);
	}

	@Override
	public List<DeadKind> deadKinds() {
		Map<String, long[]> jobs = new TreeMap<>();
		Map<String, Instant> last = new TreeMap<>();
		for (DeadCount count : this.monitor.countRecentDead(SUMMARY_CAP)) {
			jobs.computeIfAbsent(count.kind(), (kind) -> new long[1])[0] += count.jobs();
			last.merge(count.kind(), count.lastDeadAt(), (a, b) -> a.isAfter(b) ? a : b);
		}
		List<DeadKind> kinds = new ArrayList<>();
		jobs.forEach((kind, n) -> kinds.add(new DeadKind(kind, n[0], last.get(kind))));
		kinds.sort(Comparator.comparingLong(DeadKind::jobs).reversed().thenComparing(DeadKind::kind));
		return kinds;
	}

	@Override
	public List<PeriodicTick> periodicTicks() {
		return this.periodic.periodicTicks(MAX_PERIODIC);
	}

	@Override
	public List<LeaseHolder> leaseHolders() {
		return this.monitor.leaseHolders();
	}

}
