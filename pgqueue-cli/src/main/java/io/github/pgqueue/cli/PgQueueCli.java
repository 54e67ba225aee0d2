package io.github.pgqueue.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.github.pgqueue.JobState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import org.springframework.dao.DataAccessException;

/**
 * The {@code pgqueue} command line. Exit codes: 0 when the command did what it says, 1 when an
 * operation failed (a job not found or not in a state the action applies to, a database that cannot
 * be reached), 2 for bad usage (an unknown command or option, a bad id).
 */
@Command(name = "pgqueue", mixinStandardHelpOptions = true, versionProvider = PgQueueCli.Version.class,
		description = "Operate pgqueue's jobs in a PostgreSQL database: migrate the schema, inspect queues and jobs,"
				+ " retry, cancel, discard, pause and resume.",
		subcommands = { MigrateCommand.class, StatusCommand.class, JobsCommand.class, ShowCommand.class,
				JobActionCommand.Retry.class, RetryDeadCommand.class, JobActionCommand.Cancel.class,
				JobActionCommand.Discard.class, QueuePauseCommand.Pause.class, QueuePauseCommand.Resume.class },
		footer = { "", "Exit codes: 0 done, 1 the operation failed, 2 bad usage.",
				"Run 'pgqueue COMMAND --help' for a command's options." })
public final class PgQueueCli implements Runnable {

	/** Exit code of a failed operation. */
	public static final int FAILED = 1;

	/** Exit code of bad usage. */
	public static final int USAGE = 2;

	// held so the level set on it is not collected with it
	private static final Logger LIQUIBASE_LOGGER = Logger.getLogger("liquibase");

	@Spec
	CommandSpec spec;

	public static void main(String[] args) {
		System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
	}

	/** Runs one command line, printing on the given writers. @return the exit code */
	public static int run(String[] args, PrintWriter out, PrintWriter err) {
		quietLibraries();
		CommandLine commandLine = new CommandLine(new PgQueueCli());
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setCaseInsensitiveEnumValuesAllowed(true);
		commandLine.setExecutionExceptionHandler(new FailureHandler());
		commandLine.setParameterExceptionHandler(PgQueueCli::badUsage);
		commandLine.registerConverter(JobState.class, PgQueueCli::state);
		return commandLine.execute(args);
	}

	/** Without a command: the usage, as bad usage. */
	@Override
	public void run() {
		throw new ParameterException(this.spec.commandLine(), "a command is missing");
	}

	/** Bad usage: the error and where to find help on stderr, without the whole usage, and exit 2. */
	private static int badUsage(ParameterException ex, String[] args) {
		CommandLine commandLine = ex.getCommandLine();
		PrintWriter err = commandLine.getErr();
		err.println("pgqueue: " + ex.getMessage());
		UnmatchedArgumentException.printSuggestions(ex, err);
		String command = commandLine.getCommandSpec().qualifiedName(" ");
		err.println("Run '" + command + " --help' for usage.");
		err.flush();
		return USAGE;
	}

	private static JobState state(String value) {
		try {
			return JobState.fromDbValue(value);
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException("'" + value + "' is not a state: use one of " + Arrays.stream(JobState.values())
				.map(JobState::dbValue)
				.collect(Collectors.joining(", ")));
		}
	}

	private static void quietLibraries() {
		// Liquibase reports progress through java.util.logging; the CLI prints its own summary
		LIQUIBASE_LOGGER.setLevel(Level.WARNING);
		System.setProperty("liquibase.analytics.enabled", "false");
	}

	/** Prints a failure as one line on stderr, without a stack trace, and maps it to its exit code. */
	private static final class FailureHandler implements IExecutionExceptionHandler {

		@Override
		public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
			PrintWriter err = commandLine.getErr();
			if (ex instanceof IllegalArgumentException) {
				// core rejects invalid input (a kind or queue it cannot store) before writing anything
				err.println("pgqueue " + commandLine.getCommandName() + ": " + ex.getMessage());
				err.flush();
				return USAGE;
			}
			err.println("pgqueue " + commandLine.getCommandName() + ": " + message(ex));
			err.flush();
			return FAILED;
		}

		private static String message(Exception ex) {
			if (ex instanceof DataAccessException dataAccess && dataAccess.getMostSpecificCause() instanceof SQLException sql) {
				return sql.getMessage();
			}
			return String.valueOf(ex.getMessage());
		}

	}

	/** The version, from the jar's manifest. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = PgQueueCli.class.getPackage().getImplementationVersion();
			return new String[] { "pgqueue-cli " + ((version != null) ? version : "(development)") };
		}

	}

}
