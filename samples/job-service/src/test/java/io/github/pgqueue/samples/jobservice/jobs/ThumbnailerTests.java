package io.github.pgqueue.samples.jobservice.jobs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import io.github.pgqueue.PermanentJobFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ThumbnailerTests {

	@TempDir
	Path folder;

	@Test
	void keepsTheAspectRatioAtTheAskedWidth() throws IOException {
		Path source = image("tall.jpg", "jpg", 300, 900);
		Thumbnailer.Size size = Thumbnailer.write(source, 50, this.folder.resolve("out/tall.png"));
		assertThat(size).isEqualTo(new Thumbnailer.Size(50, 150));
		BufferedImage written = ImageIO.read(this.folder.resolve("out/tall.png").toFile());
		assertThat(written.getWidth()).isEqualTo(50);
		assertThat(written.getHeight()).isEqualTo(150);
	}

	@Test
	void aVeryWideImageIsAtLeastOnePixelHigh() throws IOException {
		Path source = image("strip.png", "png", 1000, 2);
		assertThat(Thumbnailer.write(source, 10, this.folder.resolve("strip-thumb.png")).height()).isEqualTo(1);
	}

	@Test
	void writingAgainReplacesTheThumbnailAndLeavesNoPartialFile() throws IOException {
		Path source = image("square.png", "png", 64, 64);
		Path target = this.folder.resolve("thumbs/square.png");
		Thumbnailer.write(source, 32, target);
		Thumbnailer.write(source, 16, target);
		assertThat(ImageIO.read(target.toFile()).getWidth()).isEqualTo(16);
		try (var files = Files.list(target.getParent())) {
			assertThat(files).containsExactly(target);
		}
	}

	@Test
	void aMissingSourceIsAPermanentFailure() {
		assertThatExceptionOfType(PermanentJobFailureException.class)
			.isThrownBy(() -> Thumbnailer.write(this.folder.resolve("gone.png"), 10, this.folder.resolve("t.png")))
			.withMessageContaining("gone.png cannot be read");
	}

	@Test
	void aFileThatIsNotAnImageIsAPermanentFailure() throws IOException {
		Path text = Files.writeString(this.folder.resolve("notes.png"), "not an image");
		assertThatExceptionOfType(PermanentJobFailureException.class)
			.isThrownBy(() -> Thumbnailer.write(text, 10, this.folder.resolve("t.png")))
			.withMessageContaining("is not an image ImageIO can read");
		assertThat(this.folder.resolve("t.png")).doesNotExist();
	}

	private Path image(String name, String format, int width, int height) throws IOException {
		Path path = this.folder.resolve(name);
		ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, path.toFile());
		return path;
	}

}
