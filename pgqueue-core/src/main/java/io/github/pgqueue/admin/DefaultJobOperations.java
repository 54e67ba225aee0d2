package io.github.pgqueue.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.EnqueueOptions;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobListing;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobPage;
import io.github.pgqueue.QueueStatus;
import io.github.pgqueue.config.StorableText;
import io.github.pgqueue.store.QueryStore;
import io.github.pgqueue.store.QueueStore;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobOperations} over the store. Validates its arguments before writing anything.
 */
public final class DefaultJobOperations implements JobOperations {

	private final QueryStore queries;

	private final QueueStore queues;

	public DefaultJobOperations(QueryStore queries, QueueStore queues) {
		this.queries = queries;
		this.queues = queues;
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
		List<JobInfo> jobs = this.queries.list(listing.state(), listing.queue(), listing.kind(), before,
				listing.limit() + 1);
		if (jobs.size() <= listing.limit()) {
			return new JobPage(jobs, Optional.empty());
		}
		List<JobInfo> page = jobs.subList(0, listing.limit());
		return new JobPage(page, Optional.of(listing.before(page.get(page.size() - 1).id())));
	}

	private static String requireQueueName(String queue) {
		return EnqueueOptions.builder().queue(queue).build().queue().orElseThrow(
				() -> new IllegalArgumentException("queue must not be null"));
	}

}
