package io.github.pgqueue.samples.jobservice.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobId;
import io.github.pgqueue.RunOnce;
import io.github.pgqueue.samples.jobservice.JobServiceProperties;

import org.springframework.stereotype.Component;

/**
 * Runs {@code process-image} jobs: job {@code 42} for {@code photos/cat.jpg} writes
 * {@code <output-folder>/42-cat.png}. The write is a {@code runOnce} step; since the thumbnail is
 * moved into place whole and its name is fixed by the job, writing it again is harmless, so a step
 * left in doubt by a crash is simply run again ({@link RunOnce#retryInDoubt()}). Sources are read
 * only inside {@code job-service.thumbnails.source-folder} ({@link SourceImages}).
 */
@Component
public class ThumbnailJobs {

	private final Path outputFolder;

	private final SourceImages sources;

	public ThumbnailJobs(JobServiceProperties properties, SourceImages sources) {
		this.outputFolder = properties.getThumbnails().getOutputFolder();
		this.sources = sources;
	}

	@JobHandler
	void process(ProcessImage image, JobContext ctx) {
		Path target = thumbnailOf(ctx.jobId(), image);
		ctx.runOnce("thumbnail", RunOnce.retryInDoubt(), () -> {
			try {
				return Thumbnailer.write(this.sources.open(image.source()), image.width(), target);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not write the thumbnail " + target, ex);
			}
		});
	}

	/**
	 * @param id a job's id
	 * @param image its payload
	 * @return where that job writes its thumbnail
	 */
	public Path thumbnailOf(JobId id, ProcessImage image) {
		String name = Path.of(image.source()).getFileName().toString();
		int dot = name.lastIndexOf('.');
		String stem = (dot > 0) ? name.substring(0, dot) : name;
		return this.outputFolder.resolve(id.value() + "-" + stem.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
	}

}
