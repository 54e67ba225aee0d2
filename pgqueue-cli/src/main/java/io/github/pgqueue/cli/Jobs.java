package io.github.pgqueue.cli;

import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;

/** Reading one job for a command, failing (exit 1) when it does not exist. */
final class Jobs {

	private Jobs() {
	}

	/** @throws CliFailure when there is no such job (it never existed, or the pruner deleted it) */
	static JobInfo require(Session session, JobId id) {
		return session.jobQueue().find(id).orElseThrow(() -> new CliFailure("job " + id + " not found in schema "
				+ session.schema()));
	}

}
