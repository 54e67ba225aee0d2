package io.github.pgqueue.cli;

import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.JobError;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.SideEffectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show ID}: one job, with its payload, every failed attempt's error and its runOnce steps. */
@Command(name = "show", description = "Show one job: its times, payload, every failed attempt's error with its"
		+ " stack trace, and its runOnce steps.")
final class ShowCommand extends DatabaseCommand {

	@Parameters(index = "0", paramLabel = "ID", converter = JobIdConverter.class, description = "The job's id.")
	JobId id;

	@Override
	void run(Session session, Output out) {
		JobInfo job = Jobs.require(session, this.id);
		if (out.json()) {
			out.json(JobView.of(job));
			return;
		}
		List<List<String>> fields = new ArrayList<>();
		fields.add(List.of("id", job.id().toString()));
		fields.add(List.of("state", job.state().dbValue() + (job.cancelRequested() ? " (cancel requested)" : "")));
		fields.add(List.of("queue", job.queue()));
		fields.add(List.of("kind", job.kind()));
		fields.add(List.of("priority", Integer.toString(job.priority())));
		fields.add(List.of("attempt", job.attempt() + " of " + job.maxAttempts()));
		fields.add(List.of("idempotency key", (job.idempotencyKey() != null) ? job.idempotencyKey() : "-"));
		fields.add(List.of("created", Output.time(job.createdAt())));
		fields.add(List.of("run at", Output.time(job.runAt())));
		fields.add(List.of("attempted", Output.time(job.attemptedAt())));
		fields.add(List.of("finalized", Output.time(job.finalizedAt())));
		fields.add(List.of("lease owner", (job.leaseOwner() != null) ? job.leaseOwner() : "-"));
		fields.add(List.of("lease until", Output.time(job.leaseExpiresAt())));
		int width = fields.stream().mapToInt((field) -> field.get(0).length()).max().orElse(0);
		for (List<String> field : fields) {
			out.line(field.get(0) + ":" + " ".repeat(width - field.get(0).length() + 1) + field.get(1));
		}
		out.line("");
		out.line("payload:");
		out.line(indent(Output.JSON.writeValueAsString(Output.JSON.readTree(job.payload()))));
		if (!job.sideEffects().isEmpty()) {
			out.line("");
			out.line("runOnce steps:");
			List<List<String>> rows = new ArrayList<>();
			for (SideEffectInfo step : job.sideEffects()) {
				rows.add(List.of("  " + step.key(), step.state().name().toLowerCase(java.util.Locale.ROOT),
						Integer.toString(step.attempt()), Output.time(step.startedAt()), Output.time(step.completedAt())));
			}
			out.table(List.of("  KEY", "STATE", "ATTEMPT", "STARTED", "COMPLETED"), rows);
		}
		if (!job.errors().isEmpty()) {
			out.line("");
			out.line("errors:");
			for (JobError error : job.errors()) {
				out.line("  attempt " + error.attempt() + " at " + Output.time(error.at()) + ": " + error.message());
				if (!error.stackTrace().isBlank()) {
					out.line(indent(indent(error.stackTrace().stripTrailing())));
				}
			}
		}
	}

	private static String indent(String text) {
		return text.lines().map((line) -> "  " + line).reduce((a, b) -> a + System.lineSeparator() + b).orElse("");
	}

}
