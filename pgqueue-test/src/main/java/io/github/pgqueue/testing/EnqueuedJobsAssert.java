package io.github.pgqueue.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions narrowing the jobs of one kind found by {@link PgQueueAssert}: every narrowing keeps the
 * jobs that match and fails at once when none is left (or, after
 * {@link PgQueueAssert#hasEnqueued(int, String)}, when fewer than the count are), naming what was
 * asked and listing the jobs it looked at.
 */
public final class EnqueuedJobsAssert extends AbstractAssert<EnqueuedJobsAssert, List<JobInfo>> {

	static final String ENQUEUED = "enqueued";

	static final String IN_TABLE = "in the job table";

	private final PgQueueTest kit;

	private final String criteria;

	private final @Nullable Integer count;

	private final String where;

	private EnqueuedJobsAssert(PgQueueTest kit, List<JobInfo> jobs, String criteria, @Nullable Integer count,
			String where) {
		super(jobs, EnqueuedJobsAssert.class);
		this.kit = kit;
		this.criteria = criteria;
		this.count = count;
		this.where = where;
	}

	static EnqueuedJobsAssert ofKind(PgQueueTest kit, List<JobInfo> all, String kind, @Nullable Integer count,
			String where) {
		Objects.requireNonNull(kind, "kind");
		List<JobInfo> ofKind = all.stream().filter((job) -> job.kind().equals(kind)).toList();
		EnqueuedJobsAssert start = new EnqueuedJobsAssert(kit, ofKind, "of kind '" + kind + "'", count, where);
		if (!start.isSatisfiedBy(ofKind)) {
			List<JobInfo> others = all.stream().filter((job) -> !job.kind().equals(kind)).toList();
			start.failWithMessage("Expected %s %s %s, but found %d%s", start.expected(), start.criteria, where,
					ofKind.size(), ofKind.isEmpty() ? othersFound(others, where) : ":" + System.lineSeparator() + describe(ofKind));
		}
		return start;
	}

	private static String othersFound(List<JobInfo> others, String where) {
		if (others.isEmpty()) {
			return "; no job at all is " + where;
		}
		return "; the jobs " + where + " are:" + System.lineSeparator() + describe(others);
	}

	private String expected() {
		return (this.count == null) ? "a job" : (this.count == 1) ? "exactly 1 job" : "exactly " + this.count + " jobs";
	}

	private boolean isSatisfiedBy(List<JobInfo> jobs) {
		return (this.count == null) ? !jobs.isEmpty() : jobs.size() == this.count;
	}

	/** Keeps the jobs on {@code queue}. */
	public EnqueuedJobsAssert inQueue(String queue) {
		return narrow("in queue '" + queue + "'", (job) -> job.queue().equals(queue));
	}

	/** Keeps the jobs of this priority. */
	public EnqueuedJobsAssert withPriority(int priority) {
		return narrow("with priority " + priority, (job) -> job.priority() == priority);
	}

	/** Keeps the jobs of this many attempts at most. */
	public EnqueuedJobsAssert withMaxAttempts(int maxAttempts) {
		return narrow("with max attempts " + maxAttempts, (job) -> job.maxAttempts() == maxAttempts);
	}

	/** Keeps the jobs enqueued with this idempotency key. */
	public EnqueuedJobsAssert withIdempotencyKey(String idempotencyKey) {
		return narrow("with idempotency key '" + idempotencyKey + "'",
				(job) -> idempotencyKey.equals(job.idempotencyKey()));
	}

	/** Keeps the jobs due to run between {@code from} and {@code to}, both included. */
	public EnqueuedJobsAssert scheduledBetween(Instant from, Instant to) {
		if (to.isBefore(from)) {
			throw new IllegalArgumentException("the window ends (" + to + ") before it starts (" + from + ")");
		}
		return narrow("due between " + from + " and " + to,
				(job) -> !job.runAt().isBefore(from) && !job.runAt().isAfter(to));
	}

	/** Keeps the jobs in this state (after {@link PgQueueAssert#hasJob}, which looks at every state). */
	public EnqueuedJobsAssert inState(JobState state) {
		return narrow("in state " + state.dbValue(), (job) -> job.state() == state);
	}

	/** Keeps the jobs whose payload, read as the expected value's class, equals it. */
	public EnqueuedJobsAssert withPayload(Object expected) {
		Class<?> type = expected.getClass();
		return narrowByPayload("with payload " + expected, type, (payload) -> {
			if (!expected.equals(payload)) {
				throw new AssertionError("payload " + payload + " differs");
			}
		});
	}

	/** Keeps the jobs whose payload, read as {@code type}, matches the predicate. */
	public <T> EnqueuedJobsAssert withPayload(Class<T> type, Predicate<? super T> matches) {
		return narrowByPayload("with a " + type.getSimpleName() + " payload matching the predicate", type,
				(payload) -> {
					if (!matches.test(payload)) {
						throw new AssertionError("payload " + payload + " does not match");
					}
				});
	}

	/**
	 * Keeps the jobs whose payload, read as {@code type}, satisfies the requirements (AssertJ
	 * assertions that throw when unmet); their messages are shown when none does.
	 */
	public <T> EnqueuedJobsAssert withPayloadSatisfying(Class<T> type, Consumer<? super T> requirements) {
		return narrowByPayload("with a " + type.getSimpleName() + " payload satisfying the requirements", type,
				requirements);
	}

	private <T> EnqueuedJobsAssert narrowByPayload(String criterion, Class<T> type, Consumer<? super T> check) {
		List<JobInfo> kept = new ArrayList<>();
		List<String> reasons = new ArrayList<>();
		for (JobInfo job : this.actual) {
			T payload;
			try {
				payload = this.kit.jsonMapper().readValue(job.payload(), type);
			}
			catch (RuntimeException ex) {
				reasons.add(line(job) + System.lineSeparator() + "    cannot be read as " + type.getName() + ": "
						+ ex.getMessage());
				continue;
			}
			try {
				check.accept(payload);
				kept.add(job);
			}
			catch (AssertionError ex) {
				reasons.add(line(job) + System.lineSeparator() + "    " + indent(ex.getMessage()));
			}
		}
		return kept(criterion, kept, String.join(System.lineSeparator(), reasons));
	}

	private EnqueuedJobsAssert narrow(String criterion, Predicate<JobInfo> matches) {
		List<JobInfo> kept = this.actual.stream().filter(matches).toList();
		return kept(criterion, kept, describe(this.actual));
	}

	private EnqueuedJobsAssert kept(String criterion, List<JobInfo> kept, String looked) {
		String narrowed = this.criteria + " " + criterion;
		if (!isSatisfiedBy(kept)) {
			failWithMessage("Expected %s %s %s, but %s of the %d jobs %s %s %s:%n%s", expected(), narrowed, this.where,
					kept.isEmpty() ? "none" : kept.size(), this.actual.size(), this.criteria, this.where,
					kept.isEmpty() ? "is" : (kept.size() == 1) ? "is" : "are", looked);
		}
		return new EnqueuedJobsAssert(this.kit, kept, narrowed, this.count, this.where);
	}

	/**
	 * Verifies that exactly {@code count} of the jobs kept so far matched: the way to count jobs of
	 * one kind on one queue, say, where {@link PgQueueAssert#hasEnqueued(int, String)} counts the kind.
	 */
	public EnqueuedJobsAssert hasCount(int count) {
		if (this.actual.size() != count) {
			failWithMessage("Expected exactly %d %s %s %s, but found %d:%n%s", count, (count == 1) ? "job" : "jobs",
					this.criteria, this.where, this.actual.size(), describe(this.actual));
		}
		return this;
	}

	/** @return the jobs that matched every narrowing so far, oldest first */
	public List<JobInfo> jobs() {
		return this.actual;
	}

	/** @return the one job that matched; fails when more did */
	public JobInfo single() {
		if (this.actual.size() != 1) {
			failWithMessage("Expected a single job %s %s, but found %d:%n%s", this.criteria, this.where,
					this.actual.size(), describe(this.actual));
		}
		return this.actual.get(0);
	}

	static String describe(List<JobInfo> jobs) {
		return jobs.stream().map(EnqueuedJobsAssert::line).collect(Collectors.joining(System.lineSeparator()));
	}

	private static String line(JobInfo job) {
		return "  job " + job.id() + " kind='" + job.kind() + "' queue='" + job.queue() + "' state=" + job.state().dbValue()
				+ " priority=" + job.priority() + " runAt=" + job.runAt() + " maxAttempts=" + job.maxAttempts()
				+ " idempotencyKey=" + ((job.idempotencyKey() != null) ? "'" + job.idempotencyKey() + "'" : "none")
				+ " payload=" + job.payload();
	}

	private static String indent(@Nullable String message) {
		return String.valueOf(message).strip().replace("\n", "\n    ");
	}

}
