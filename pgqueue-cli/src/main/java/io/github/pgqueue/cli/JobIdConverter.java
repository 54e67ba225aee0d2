package io.github.pgqueue.cli;

import io.github.pgqueue.JobId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a job id: a positive whole number, else bad usage (exit 2). */
final class JobIdConverter implements ITypeConverter<JobId> {

	@Override
	public JobId convert(String value) {
		try {
			long id = Long.parseLong(value.trim());
			if (id > 0) {
				return JobId.of(id);
			}
		}
		catch (NumberFormatException ex) {
			// reported below, as every other bad id
		}
		throw new TypeConversionException("'" + value + "' is not a job id (a positive whole number)");
	}

}
