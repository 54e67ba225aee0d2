package io.github.pgqueue.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.github.pgqueue.config.SqlIdentifier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that connects to the database: takes the connection options and {@code --json}, opens
 * one connection, runs, and closes it. Returns 0; a failed operation throws {@link CliFailure} (exit 1).
 */
abstract class DatabaseCommand implements Callable<Integer> {

	@Mixin
	ConnectionOptions connection = new ConnectionOptions();

	@Option(names = "--json", description = "Print JSON, for scripts, instead of text.")
	boolean json;

	@Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
	boolean help;

	@Spec
	CommandSpec spec;

	@Override
	public final Integer call() {
		try {
			SqlIdentifier.requireSchema("--schema", this.connection.schema);
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(this.spec.commandLine(), ex.getMessage());
		}
		validate();
		try (Session session = new Session(this.connection.connect(), this.connection.schema)) {
			if (needsTables()) {
				session.requireTables();
			}
			run(session, new Output(this.spec.commandLine().getOut(), this.json));
		}
		return 0;
	}

	/** Checks the arguments before connecting; throws a {@link ParameterException} for bad usage. */
	void validate() {
	}

	/** @return whether the command reads or writes pgqueue's tables, so they must exist */
	boolean needsTables() {
		return true;
	}

	abstract void run(Session session, Output out);

	ParameterException usage(String message) {
		return new ParameterException(this.spec.commandLine(), message);
	}

	PrintWriter err() {
		return this.spec.commandLine().getErr();
	}

}
