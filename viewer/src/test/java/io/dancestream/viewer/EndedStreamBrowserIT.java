package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real page in headless Chromium, 1400 px wide, with one live stream and one that stops:
 * the stopped one stays, marked "ended N s ago", with its last frames (also on a page opened
 * after the end, as during the demo's {@code --linger}), and becomes live again when frames
 * return; all three panels of every stream lie inside the window.
 *
 * <p>{@code -Dviewer.screenshot=/tmp/viewer.png} saves what the page looks like with one live
 * and one ended stream.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class EndedStreamBrowserIT {

    private static final String LIVE = "cam-live";
    private static final String ENDING = "cam-ended";
    /** The width at which the render panel used to be cut off. */
    private static final int WIDTH = 1400;
    /** Like ingest's {@code file:} description of a video in a deep folder: the long caption that widened its column. */
    private static final String LONG_SOURCE =
            "file:/home/someone/videos/dance-practice/2024-06-12/studio-b/take-3-wide-angle-1080p-stabilised.mp4";
    /** Bounds the waits below so a broken page fails instead of hanging; nothing is timed. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void aStoppedStreamStaysAsEndedWithItsLastFramesAndAllPanelsFitTheWindow(EmbeddedKafkaBroker broker)
            throws Exception {
        Topics topics = TestTopics.unique("ended");
        // ended after 2 s of silence (short, so the test does not wait long); kept without a time limit
        StreamEnding ending = new StreamEnding(Duration.ofSeconds(2), Duration.ZERO);
        try (ServiceRuntime rt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             Viewer viewer = Viewer.start(rt, "127.0.0.1", 0, "viewer-ended-it", ending);
             FrameFeed live = new FrameFeed(broker, topics, LIVE, true, LONG_SOURCE);
             FrameFeed stopping = new FrameFeed(broker, topics, ENDING, true, LONG_SOURCE)) {
            assertThat(viewer.awaitFollowing(PATIENCE)).as("viewer consumer assigned").isTrue();
            live.start();
            stopping.start();

            // tall enough that both streams fit, for the screenshot
            ChromeDriver driver = HeadlessChromium.start(WIDTH, 1100);
            try {
                String page = "http://127.0.0.1:" + viewer.port() + "/";
                driver.get(page);
                WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(200));
                assertThat(((Number) js(driver, "return window.innerWidth;")).intValue())
                        .as("the window is %d px wide", WIDTH).isBetween(WIDTH - 20, WIDTH);

                // the stream ends once the page has drawn a latency for it, so it has a final one to keep
                wait.until(d -> {
                    WebElement r = section(d, ENDING);
                    String t = r == null ? "" : r.findElement(By.className("g2g")).getText();
                    return t.matches("\\d+ ms");
                });
                long lastSeq = stopping.stop();
                WebElement ended = awaitEnded(driver, wait);
                assertShowsLastFrames(driver, wait, ended, lastSeq);
                assertThat(ended.findElement(By.className("g2g")).getText()).as("the final latency stays")
                        .matches("\\d+ ms");
                assertThat(driver.findElement(By.id("empty")).isDisplayed()).as("no 'No streams yet'").isFalse();
                assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("No live streams yet");
                // the live stream is listed first and is not marked ended
                WebElement first = driver.findElement(By.cssSelector("section.stream"));
                assertThat(first.getAttribute("data-stream")).isEqualTo(LIVE);
                assertThat(first.findElement(By.className("state")).getText()).isEqualTo("live");
                assertPanelsInsideTheWindow(driver, wait);
                screenshot(driver, wait);

                // a page opened after the end (the demo's --linger) shows the ended stream too
                driver.navigate().refresh();
                WebElement endedOnNewPage = awaitEnded(driver, wait);
                assertShowsLastFrames(driver, wait, endedOnNewPage, lastSeq);
                assertThat(endedOnNewPage.findElement(By.className("g2g")).getText()).matches("\\d+ ms");
                assertPanelsInsideTheWindow(driver, wait);

                // frames again (a restarted source, seq from 0): live again
                try (FrameFeed again = new FrameFeed(broker, topics, ENDING, true, LONG_SOURCE)) {
                    again.start();
                    wait.until(d -> {
                        WebElement row = section(d, ENDING);
                        return row != null && !row.getAttribute("class").contains("ended")
                                && row.findElement(By.className("state")).getText().equals("live");
                    });
                }
            } finally {
                driver.quit();
            }
        }
    }

    private static WebElement section(org.openqa.selenium.WebDriver d, String stream) {
        return d.findElements(By.cssSelector("section.stream[data-stream='" + stream + "']")).stream()
                .findFirst().orElse(null);
    }

    /** Waits until the stopped stream is on the page marked "ended N s ago". */
    private static WebElement awaitEnded(ChromeDriver driver, WebDriverWait wait) {
        WebElement row = wait.until(d -> {
            WebElement r = section(d, ENDING);
            return r != null && r.getAttribute("class").contains("ended") ? r : null;
        });
        assertThat(row.findElement(By.className("state")).getText()).matches("ended \\d+ s ago");
        return row;
    }

    /** All three panels show the stream's last frame, decoded, and its final fps. */
    private static void assertShowsLastFrames(ChromeDriver driver, WebDriverWait wait, WebElement row, long lastSeq) {
        for (String p : List.of("source", "parts", "render")) {
            wait.until(d -> js(driver, """
                    const img = document.querySelector(
                        `section.stream[data-stream='${arguments[0]}'] figure[data-panel='${arguments[1]}'] img`);
                    return img && img.complete && img.naturalWidth > 0 && img.dataset.seq === String(arguments[2]);
                    """, ENDING, p, lastSeq).equals(Boolean.TRUE));
            WebElement fig = row.findElement(By.cssSelector("figure[data-panel='" + p + "']"));
            assertThat(fig.findElement(By.className("final")).isDisplayed()).as(p + " says 'final'").isTrue();
            assertThat(Double.parseDouble(fig.findElement(By.className("fps")).getText()))
                    .as(p + ": the final fps, not the decayed 0").isGreaterThan(0);
        }
    }

    /** Every panel of every stream lies inside the window's width, its image keeps 4:3, and nothing scrolls sideways. */
    @SuppressWarnings("unchecked")
    private static void assertPanelsInsideTheWindow(ChromeDriver driver, WebDriverWait wait) {
        wait.until(d -> section(d, LIVE) != null && section(d, ENDING) != null);
        Map<String, Object> layout = (Map<String, Object>) js(driver, """
                const width = document.documentElement.clientWidth;
                const panels = [...document.querySelectorAll('section.stream figure')].map(f => {
                  const r = f.getBoundingClientRect();
                  const i = f.querySelector('img').getBoundingClientRect();
                  return { id: f.closest('section').dataset.stream + '/' + f.dataset.panel,
                           left: r.left, right: r.right, height: r.height, imgWidth: i.width, imgHeight: i.height };
                });
                return { width, height: window.innerHeight, scrollWidth: document.documentElement.scrollWidth, panels };
                """);
        double width = ((Number) layout.get("width")).doubleValue();
        double height = ((Number) layout.get("height")).doubleValue();
        List<Map<String, Object>> panels = (List<Map<String, Object>>) layout.get("panels");
        assertThat(panels).hasSize(6);
        for (Map<String, Object> p : panels) {
            String id = (String) p.get("id");
            assertThat(num(p, "left")).as(id + " left edge").isGreaterThanOrEqualTo(0);
            assertThat(num(p, "right")).as(id + " right edge within %s px", width).isLessThanOrEqualTo(width);
            assertThat(num(p, "height")).as(id + " fits the window's height").isLessThanOrEqualTo(height);
            assertThat(num(p, "imgWidth") / num(p, "imgHeight")).as(id + " keeps 4:3")
                    .isCloseTo(4.0 / 3, org.assertj.core.api.Assertions.within(0.02));
        }
        assertThat(num(layout, "scrollWidth")).as("no horizontal scrolling").isLessThanOrEqualTo(width);
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static Object js(ChromeDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** With -Dviewer.screenshot=PATH: the page with one live and one ended stream, for a person to look at. */
    private static void screenshot(ChromeDriver driver, WebDriverWait wait) throws Exception {
        String path = System.getProperty("viewer.screenshot");
        if (path == null || path.isBlank()) {
            return;
        }
        // the live stream's latency drawn, so the picture shows what a user sees after a moment
        wait.until(d -> section(d, LIVE).findElement(By.className("g2g")).getText().matches("\\d+ ms"));
        Files.write(Path.of(path), driver.getScreenshotAs(OutputType.BYTES));
        System.out.println("SCREENSHOT " + path);
    }
}
