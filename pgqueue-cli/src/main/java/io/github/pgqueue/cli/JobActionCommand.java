package io.github.pgqueue.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * An action on one job ({@code retry}, {@code cancel}, {@code discard}) through core's operations.
 * A job that does not exist, or whose state the action does not apply to, fails the command (exit 1)
 * saying which state it is in, and nothing changes.
 */
abstract class JobActionCommand extends DatabaseCommand {

	@Parameters(index = "0", paramLabel = "ID", converter = JobIdConverter.class, description = "The job's id.")
	JobId id;

	@Override
	final void run(Session session, Output out) {
		JobInfo before = Jobs.require(session, this.id);
		if (!apply(session, this.id)) {
			throw new CliFailure("job " + this.id + " is " + before.state().dbValue() + ": " + refusal());
		}
		Optional<JobInfo> after = session.jobQueue().find(this.id);
		String state = after.map((job) -> job.state().dbValue()).orElse("deleted");
		if (out.json()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("jobId", this.id.value());
			body.put("action", this.spec.name());
			body.put("changed", true);
			body.put("state", state);
			after.ifPresent((job) -> body.put("cancelRequested", job.cancelRequested()));
			out.json(body);
		}
		else {
			out.line(done(after));
		}
	}

	/** @return whether the action applied: the job was in a state it applies to */
	abstract boolean apply(Session session, JobId id);

	/** @return why the action did not apply, after "job N is STATE: " */
	abstract String refusal();

	/** @return what was done, for a person */
	abstract String done(Optional<JobInfo> after);

	@Command(name = "retry", description = "Put a dead or cancelled job back to available, to run at once, keeping"
			+ " its error history (one more attempt if it had used all).")
	static final class Retry extends JobActionCommand {

		@Override
		boolean apply(Session session, JobId id) {
			return session.jobQueue().retry(id);
		}

		@Override
		String refusal() {
			return "only a dead or cancelled job can be retried";
		}

		@Override
		String done(Optional<JobInfo> after) {
			return "job " + this.id + " retried: available"
					+ after.map((job) -> " (attempt " + job.attempt() + " of " + job.maxAttempts() + " used)").orElse("");
		}

	}

	@Command(name = "cancel", description = "Cancel a job: an available one at once; a running one is asked to stop"
			+ " and ends cancelled unless it completes first.")
	static final class Cancel extends JobActionCommand {

		@Override
		boolean apply(Session session, JobId id) {
			return session.jobQueue().cancel(id);
		}

		@Override
		String refusal() {
			return "only an available or running job can be cancelled";
		}

		@Override
		String done(Optional<JobInfo> after) {
			String state = after.map((job) -> job.state().dbValue()).orElse("deleted");
			return "running".equals(state) ? "job " + this.id + " is running: asked to stop (it ends cancelled unless"
					+ " it completes first)" : "job " + this.id + " cancelled";
		}

	}

	@Command(name = "discard", description = "Delete a dead job for good, with its runOnce ledger.")
	static final class Discard extends JobActionCommand {

		@Override
		boolean apply(Session session, JobId id) {
			return session.operations().discard(id);
		}

		@Override
		String refusal() {
			return "only a dead job can be discarded";
		}

		@Override
		String done(Optional<JobInfo> after) {
			return "job " + this.id + " discarded";
		}

	}

}
