package io.github.pgqueue.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.pgqueue.JobOperations;
import io.github.pgqueue.QueueStatus;
import picocli.CommandLine.Command;

/** {@code status}: every queue's jobs by state, its oldest waiting age and its pause ({@link JobOperations#queues()}). */
@Command(name = "status", description = {
		"Show every queue: its jobs by state, its oldest waiting age, and whether it is paused.",
		"Waiting jobs may run now, scheduled ones later. Counts exactly: reads the whole job table." })
final class StatusCommand extends DatabaseCommand {

	@Override
	void run(Session session, Output out) {
		List<QueueStatus> queues = session.operations().queues();
		if (out.json()) {
			List<Map<String, Object>> described = new ArrayList<>();
			for (QueueStatus queue : queues) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("queue", queue.queue());
				entry.put("waiting", queue.waiting());
				entry.put("scheduled", queue.scheduled());
				entry.put("running", queue.running());
				entry.put("dead", queue.dead());
				entry.put("completed", queue.completed());
				entry.put("cancelled", queue.cancelled());
				entry.put("oldestWaitingSeconds",
						queue.oldestWaitingAge().map((age) -> age.toMillis() / 1000.0).orElse(null));
				entry.put("paused", queue.paused());
				described.add(entry);
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("schema", session.schema());
			body.put("queues", described);
			out.json(body);
			return;
		}
		if (queues.isEmpty()) {
			out.line("no queues in schema " + session.schema() + ": no job has been enqueued yet");
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (QueueStatus queue : queues) {
			rows.add(List.of(queue.queue(), Long.toString(queue.waiting()), Long.toString(queue.scheduled()),
					Long.toString(queue.running()), Long.toString(queue.dead()), Long.toString(queue.completed()),
					Long.toString(queue.cancelled()), Output.age(queue.oldestWaiting()),
					queue.paused() ? "paused" : "-"));
		}
		out.table(List.of("QUEUE", "WAITING", "SCHEDULED", "RUNNING", "DEAD", "COMPLETED", "CANCELLED",
				"OLDEST WAITING", "PAUSED"), rows);
	}

}
