package io.github.pgqueue.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.pgqueue.EnqueueOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pause QUEUE} and {@code resume QUEUE}: the pause every node reads before it claims, stored
 * in the database. Unlike the endpoint, the CLI knows no node's configuration, so it pauses any
 * valid name (a queue may be paused before its first job); {@code status} shows the pauses.
 */
abstract class QueuePauseCommand extends DatabaseCommand {

	@Parameters(index = "0", paramLabel = "QUEUE", description = "The queue's name.")
	String queue;

	@Override
	void validate() {
		try {
			EnqueueOptions.builder().queue(this.queue).build();
		}
		catch (IllegalArgumentException ex) {
			throw usage(ex.getMessage());
		}
	}

	@Override
	final void run(Session session, Output out) {
		boolean wasPaused = session.operations().pausedQueues().contains(this.queue);
		apply(session);
		boolean paused = session.operations().pausedQueues().contains(this.queue);
		if (out.json()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("queue", this.queue);
			body.put("action", this.spec.name());
			body.put("paused", paused);
			body.put("wasPaused", wasPaused);
			out.json(body);
			return;
		}
		String text = "queue " + this.queue + (paused ? " paused for every node (running jobs finish)" : " resumed");
		if (paused == wasPaused) {
			text += paused ? " (it was paused already)" : " (it was not paused)";
		}
		out.line(text);
	}

	abstract void apply(Session session);

	@Command(name = "pause", description = "Pause a queue for every node: no worker claims from it until resumed;"
			+ " running jobs finish.")
	static final class Pause extends QueuePauseCommand {

		@Override
		void apply(Session session) {
			session.operations().pause(this.queue);
		}

	}

	@Command(name = "resume", description = "Resume a paused queue on every node.")
	static final class Resume extends QueuePauseCommand {

		@Override
		void apply(Session session) {
			session.operations().resume(this.queue);
		}

	}

}
