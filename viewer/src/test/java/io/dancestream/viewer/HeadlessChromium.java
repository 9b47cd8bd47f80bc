package io.dancestream.viewer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium + chromium-driver, headless. Without the background-networking flags
 * Chromium dials out at start, which this closed network refuses.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    static ChromeDriver start() throws Exception {
        return start(1280, 900);
    }

    /** A browser whose window is {@code width} × {@code height} CSS pixels, with more Chromium flags. */
    static ChromeDriver start(int width, int height, String... extraArgs) throws Exception {
        Path profile = Files.createTempDirectory("viewer-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        options.addArguments(extraArgs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
