package io.github.pgqueue.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobListing;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.JobPage;
import io.github.pgqueue.JobState;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobs}: one keyset page of jobs, newest first ({@link JobOperations#list}). */
@Command(name = "jobs", description = {
		"List jobs, newest first, optionally of one state, queue and kind.",
		"Pages by job id (no OFFSET): the next page is --after the last id shown." })
final class JobsCommand extends DatabaseCommand {

	@Option(names = "--state", paramLabel = "STATE",
			description = "Only jobs in this state: available, running, completed, dead or cancelled.")
	@Nullable JobState state;

	@Option(names = "--queue", paramLabel = "QUEUE", description = "Only jobs on this queue.")
	@Nullable String queue;

	@Option(names = "--kind", paramLabel = "KIND", description = "Only jobs of this kind.")
	@Nullable String kind;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
			description = "The most jobs to list, from 1 to " + JobListing.MAX_LIMIT + ". Default: ${DEFAULT-VALUE}.")
	int limit;

	@Option(names = "--after", paramLabel = "ID", converter = JobIdConverter.class,
			description = "Start after this job id: only older jobs (the next page).")
	@Nullable JobId after;

	@Override
	void validate() {
		if (this.limit < 1 || this.limit > JobListing.MAX_LIMIT) {
			throw usage("--limit must be from 1 to " + JobListing.MAX_LIMIT + ", was " + this.limit);
		}
	}

	@Override
	void run(Session session, Output out) {
		JobListing listing = new JobListing(this.state, this.queue, this.kind, this.after, this.limit);
		JobPage page = session.operations().list(listing);
		@Nullable Long next = page.next().map(JobListing::before).map(JobId::value).orElse(null);
		if (out.json()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("jobs", page.jobs().stream().map(JobView::of).toList());
			body.put("next", next);
			out.json(body);
			return;
		}
		if (page.jobs().isEmpty()) {
			if (next != null) {
				// a filtered page searches a window of the newest jobs before its cursor
				out.line("no matches among the " + JobListing.SEARCH_WINDOW + " jobs before "
						+ ((this.after != null) ? "#" + this.after : "the newest"));
				out.line("more: --after " + next);
			}
			else {
				out.line("no jobs");
			}
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (JobInfo job : page.jobs()) {
			rows.add(List.of(job.id().toString(), job.state().dbValue(), job.queue(), job.kind(),
					job.attempt() + "/" + job.maxAttempts(), Output.time(job.runAt()), Output.time(job.createdAt())));
		}
		out.table(List.of("ID", "STATE", "QUEUE", "KIND", "ATTEMPT", "RUN AT", "CREATED"), rows);
		if (next != null) {
			out.line("more: --after " + next);
		}
	}

}
