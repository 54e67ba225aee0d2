package io.github.pgqueue.samples.jobservice.jobs;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.imageio.ImageIO;

import io.github.pgqueue.PermanentJobFailureException;

/**
 * Makes PNG thumbnails with the JDK's ImageIO. A thumbnail appears at its target path whole or not
 * at all (it is written beside it and moved into place), so writing it again after a crash, or
 * twice, leaves one complete file.
 */
public final class Thumbnailer {

	private Thumbnailer() {
	}

	/**
	 * Writes a thumbnail of {@code source}, {@code width} pixels wide with the source's aspect ratio
	 * (at least one pixel high), to {@code target} as PNG, creating its folder when missing.
	 * @param source an image file in a format ImageIO reads
	 * @param width the thumbnail's width in pixels
	 * @param target the PNG file to write; replaced when it exists
	 * @return the thumbnail's size
	 * @throws PermanentJobFailureException when the source is missing or unreadable (one message for
	 * both) or is not an image ImageIO reads: trying again would not help
	 * @throws IOException when reading or writing fails otherwise
	 */
	public static Size write(Path source, int width, Path target) throws IOException {
		BufferedImage image = read(source);
		int height = Math.max(1, (int) Math.round((double) image.getHeight() * width / image.getWidth()));
		BufferedImage thumbnail = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
		Graphics2D graphics = thumbnail.createGraphics();
		try {
			graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
			graphics.drawImage(image, 0, 0, width, height, null);
		}
		finally {
			graphics.dispose();
		}
		Path folder = target.toAbsolutePath().getParent();
		Files.createDirectories(folder);
		Path partial = Files.createTempFile(folder, "." + target.getFileName(), ".partial");
		try {
			if (!ImageIO.write(thumbnail, "png", partial.toFile())) {
				throw new IOException("no ImageIO writer for PNG");
			}
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(partial);
		}
		return new Size(width, height);
	}

	private static BufferedImage read(Path source) throws IOException {
		BufferedImage image;
		if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
			throw SourceImages.cannotRead(source);
		}
		try (InputStream in = Files.newInputStream(source)) {
			image = ImageIO.read(in);
		}
		catch (NoSuchFileException | AccessDeniedException ex) {
			// gone or locked since the check: the same answer as for one missing before it
			throw SourceImages.cannotRead(source);
		}
		if (image == null) {
			throw new PermanentJobFailureException("source " + source.getFileName()
					+ " is not an image ImageIO can read (it reads " + String.join(", ", ImageIO.getReaderFormatNames())
					+ ")");
		}
		return image;
	}

	/**
	 * A thumbnail's size.
	 *
	 * @param width its width in pixels
	 * @param height its height in pixels
	 */
	public record Size(int width, int height) {
	}

}
