package io.github.pgqueue.samples.jobservice.jobs;

import io.github.pgqueue.Job;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * A {@code process-image} job: a PNG thumbnail {@code width} pixels wide, with the source's aspect
 * ratio, of an image file the service can read (any format the JDK's ImageIO reads: PNG, JPEG, GIF,
 * BMP, ...). The API validates it before it is enqueued.
 *
 * @param source the image file's path inside {@code job-service.thumbnails.source-folder}, relative to
 * it; a path leading outside it is refused
 * @param width the thumbnail's width in pixels, from 1 to 4096
 */
@Job("process-image")
public record ProcessImage(@NotBlank(message = "must not be blank") String source,
		@NotNull(message = "must not be null") @Min(value = 1, message = "must be at least 1")
		@Max(value = 4096, message = "must be at most 4096") Integer width) {
}
