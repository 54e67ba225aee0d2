package io.github.pgqueue.samples.jobservice.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import io.github.pgqueue.PermanentJobFailureException;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code process-image} jobs read their sources: only files under
 * {@code job-service.thumbnails.source-folder}. A source is a path relative to that folder; one that
 * leads outside it is refused at submit when its text already shows it ({@code ..}, an absolute path
 * elsewhere) and when the job runs once links are followed. A source that is missing, unreadable, not
 * a regular file or outside the folder fails with one message, so a caller cannot tell which.
 */
public final class SourceImages {

	/** The property that names the folder. */
	public static final String FOLDER_PROPERTY = "job-service.thumbnails.source-folder";

	private final Path folder;

	/**
	 * @param folder the source folder; created when missing
	 */
	public SourceImages(Path folder) {
		this.folder = folder.toAbsolutePath().normalize();
		try {
			Files.createDirectories(this.folder);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not create " + FOLDER_PROPERTY + " " + this.folder, ex);
		}
	}

	/**
	 * @param source a job's source, as submitted
	 * @return why it is refused, when its text leads outside the folder; {@code null} otherwise
	 */
	public @Nullable String refusal(String source) {
		try {
			return this.folder.resolve(source).normalize().startsWith(this.folder) ? null
					: "payload.source must be a path inside " + FOLDER_PROPERTY + " (relative to it); '" + source
							+ "' leads outside it";
		}
		catch (InvalidPathException ex) {
			return "payload.source is not a valid path: " + ex.getReason();
		}
	}

	/**
	 * @param source a job's source, as submitted
	 * @return the file to read: a readable regular file inside the folder, links followed
	 * @throws PermanentJobFailureException when it is not, with the same message whatever the reason
	 */
	public Path open(String source) {
		if (refusal(source) != null) {
			throw cannotRead(source);
		}
		try {
			Path real = this.folder.resolve(source).toRealPath();
			if (!real.startsWith(this.folder.toRealPath()) || !Files.isRegularFile(real) || !Files.isReadable(real)) {
				throw cannotRead(source);
			}
			return real;
		}
		catch (IOException ex) {
			throw cannotRead(source);
		}
	}

	/**
	 * @param source a source as the caller named it
	 * @return the one failure for a source that is missing, unreadable, not a file or outside the
	 * folder
	 */
	public static PermanentJobFailureException cannotRead(Object source) {
		return new PermanentJobFailureException("source image " + source + " cannot be read: it does not exist, is "
				+ "not a readable file, or is outside " + FOLDER_PROPERTY);
	}

}
