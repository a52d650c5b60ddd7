package dev.enphaseetl.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through {@code /usr/bin/chromedriver} (installed by {@code .ci/services.sh}): both paths
 * are given, so Selenium Manager never looks for (or downloads) a browser; a fresh profile directory per browser, no
 * background networking.
 */
final class Browser {

    static final Path CHROMIUM = Path.of(System.getProperty("enphase.it.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("enphase.it.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "page-screenshots");

    private Browser() {}

    static ChromeDriver start(int width, int height) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException(CHROMIUM + " or " + DRIVER + " is missing: run bash .ci/services.sh"
                    + " (apt-get install -y chromium chromium-driver)");
        }
        Path profile = Files.createTempDirectory("page-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    static Path screenshot(ChromeDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
