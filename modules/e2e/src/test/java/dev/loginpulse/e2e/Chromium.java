package dev.loginpulse.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium for the browser tests ({@code DashboardBrowserIT}, {@code LiveDashboardIT},
 * {@code OperationsViewIT}). Without it a developer's run skips those tests; CI ({@code .ci/run} installs
 * {@code chromium} and {@code chromium-driver} and sets {@value #REQUIRED}) fails them instead, so a browser test
 * cannot pass there by not running.
 */
final class Chromium {

    /** Environment variable: when {@code true}, a missing Chromium fails the browser tests instead of skipping them. */
    static final String REQUIRED = "PULSE_REQUIRE_CHROMIUM";

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * Skips the calling test class when Chromium or its driver is missing, or fails it when {@value #REQUIRED} is
     * {@code true}.
     */
    static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        if (!installed && Boolean.parseBoolean(System.getenv(REQUIRED))) {
            throw new IllegalStateException(BINARY + " or " + DRIVER + " is missing, and " + REQUIRED
                    + "=true: install Debian's chromium and chromium-driver (.ci/run does)");
        }
        assumeTrue(installed, "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
    }

    /** A headless browser with the flags this machine's closed network needs, its console log kept. */
    static ChromeDriver headless() {
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync", "--window-size=1400,1000");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(),
                options);
    }
}
