package io.github.pgqueue.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}), driven by
 * Selenium through {@code /usr/bin/chromedriver}. Never downloads a browser or a driver: a machine
 * without them fails the test, saying how to install them.
 */
final class Chromium implements AutoCloseable {

	static final String INSTALL = "Chromium is needed for the dashboard's browser tests: install Debian's packages with "
			+ "`apt-get install -y chromium chromium-driver` (.ci/run does so when they are missing), "
			+ "or point CHROMIUM_BIN and CHROMEDRIVER_BIN at a Chromium and its driver.";

	private final Path profile;

	private final ChromeDriver driver;

	private Chromium(Path profile, ChromeDriver driver) {
		this.profile = profile;
		this.driver = driver;
	}

	static Chromium start() {
		Path browser = find("CHROMIUM_BIN", List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium"));
		Path driverBinary = find("CHROMEDRIVER_BIN", List.of("/usr/bin/chromedriver"));
		Path profile;
		try {
			profile = Files.createTempDirectory("pgqueue-dashboard-chromium");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		// a click that submits a form returns before the next page is there: finding an element waits for it
		driver.manage().timeouts().implicitlyWait(java.time.Duration.ofSeconds(5));
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		return new Chromium(profile, driver);
	}

	private static Path find(String variable, List<String> candidates) {
		String configured = System.getenv(variable);
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			if (Files.isExecutable(path)) {
				return path;
			}
			throw new IllegalStateException(variable + "=" + configured + " is not an executable. " + INSTALL);
		}
		return candidates.stream()
			.map(Path::of)
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("None of " + candidates + " exists. " + INSTALL));
	}

	ChromeDriver driver() {
		return this.driver;
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
			catch (IOException ex) {
				// a temporary folder left behind
			}
		}
	}

}
