package io.github.pgqueue.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.pgqueue.JobOperations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code retry-dead KIND}: every dead job of a kind back to available ({@link JobOperations#retryDead}). */
@Command(name = "retry-dead", description = "Put every dead job of a kind back to available, keeping their error"
		+ " history.")
final class RetryDeadCommand extends DatabaseCommand {

	@Parameters(index = "0", paramLabel = "KIND", description = "The kind whose dead jobs to retry.")
	String kind;

	@Override
	void validate() {
		if (this.kind.isBlank()) {
			throw usage("KIND must not be blank");
		}
	}

	@Override
	void run(Session session, Output out) {
		int retried = session.operations().retryDead(this.kind);
		if (out.json()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("kind", this.kind);
			body.put("retried", retried);
			out.json(body);
		}
		else {
			out.line((retried == 0) ? "no dead jobs of kind " + this.kind
					: "retried " + retried + " dead job" + ((retried == 1) ? "" : "s") + " of kind " + this.kind);
		}
	}

}
