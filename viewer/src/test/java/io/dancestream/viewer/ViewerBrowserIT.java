package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real page in headless Chromium, fed by real records on the embedded broker: the stream
 * appears, all three images change as frames flow, and the page draws a glass-to-glass number
 * that the viewer also exported as {@code dance_glass_to_glass_seconds}.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ViewerBrowserIT {

    private static final String STREAM = "it-cam";
    /** Bounds the waits below so a broken pipeline fails instead of hanging; nothing is timed. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String FAILED = "outcome=\"failed\",service=\"viewer\",stage=\"viewer\"";

    @Test
    void pageShowsTheLiveStreamWithChangingImagesAndLatency(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = TestTopics.unique("browser");
        try (ServiceRuntime rt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             Viewer viewer = Viewer.start(rt, "127.0.0.1", 0, "viewer-browser-it");
             FrameFeed feed = new FrameFeed(broker, topics, STREAM)) {
            assertThat(viewer.awaitFollowing(PATIENCE)).as("viewer consumer assigned").isTrue();
            feed.sendTombstones();
            feed.sendGarbageFrame();
            // alone in its batch, the garbage is decoded, refused and counted; the viewer goes on
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (sample(rt.metricsServer().scrape(), "dance_frames_total", FAILED) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            feed.start();

            ChromeDriver driver = HeadlessChromium.start();
            try {
                driver.get("http://127.0.0.1:" + viewer.port() + "/");
                WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(200));
                WebElement row = wait.until(d -> d.findElements(By.cssSelector("section.stream[data-stream='" + STREAM + "']"))
                        .stream().findFirst().orElse(null));
                assertThat(row.findElement(By.className("stream-id")).getText()).isEqualTo(STREAM);

                // every panel shows an image, then a different one (other seq, other pixels)
                Map<String, Shot> first = new HashMap<>();
                for (String p : List.of("source", "parts", "render")) {
                    first.put(p, wait.until(d -> shot(driver, p)));
                }
                for (String p : List.of("source", "parts", "render")) {
                    Shot later = wait.until(d -> {
                        Shot s = shot(driver, p);
                        return s != null && s.seq != first.get(p).seq && !s.pixels.equals(first.get(p).pixels) ? s : null;
                    });
                    assertThat(later.seq).as(p + " seq moved on").isGreaterThan(first.get(p).seq);
                }
                // the part map is coloured: BodyPix white background in the top-left corner
                // (sampled once the panel's current image is fully decoded: it is swapped as frames arrive)
                int[] corner = wait.until(d -> pixel(driver, "parts", 2, 2));
                assertThat(corner).containsExactly(255, 255, 255);

                String g2g = wait.until(d -> {
                    String t = row.findElement(By.className("g2g")).getText();
                    return t.matches("\\d+ ms") ? t : null;
                });
                assertThat(Integer.parseInt(g2g.replace(" ms", ""))).isGreaterThanOrEqualTo(0);
                String fps = row.findElement(By.cssSelector("figure[data-panel='render'] .fps")).getText();
                assertThat(Double.parseDouble(fps)).isGreaterThan(0);
                assertThat(row.findElement(By.cssSelector("figure[data-panel='render'] .label")).getText())
                        .isEqualTo("generator v7");
            } finally {
                driver.quit();
            }

            // not asserted (no timed assertions): printed for docs/benchmarks-viewer.md
            var g2g = rt.metrics().glassToGlass(Viewer.SINK).takeSnapshot();
            System.out.printf("BROWSER glass-to-glass over %d shown renders: mean %.1f ms, p50/p95/p99 %s ms%n",
                    g2g.count(), g2g.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    java.util.Arrays.stream(g2g.percentileValues())
                            .map(v -> String.format(java.util.Locale.ROOT, "%.1f", v.value(java.util.concurrent.TimeUnit.MILLISECONDS)))
                            .toList());
            String scrape = rt.metricsServer().scrape();
            assertThat(sample(scrape, "dance_glass_to_glass_seconds_count", "sink=\"viewer\"")).isGreaterThan(0);
            assertThat(sample(scrape, "dance_frames_total", FAILED))
                    .as("the garbage frame was counted, not fatal; the tombstones ignored").isEqualTo(1);
            assertThat(sample(scrape, "dance_frames_total", "outcome=\"processed\",service=\"viewer\",stage=\"viewer\""))
                    .isGreaterThan(3);
        }
    }

    private record Shot(long seq, String pixels) {
    }

    /** The panel's shown seq and a digest of its pixels as the browser decoded them, or null. */
    private static Shot shot(ChromeDriver driver, String panel) {
        Object r = ((JavascriptExecutor) driver).executeScript("""
                const img = document.querySelector(`section.stream figure[data-panel='${arguments[0]}'] img`);
                if (!img || !img.complete || !img.naturalWidth || !img.dataset.seq) return null;
                const c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data;
                let h = 0;
                for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) | 0;
                return img.dataset.seq + ':' + h;
                """, panel);
        if (r == null) {
            return null;
        }
        String[] parts = r.toString().split(":");
        return new Shot(Long.parseLong(parts[0]), parts[1]);
    }

    /** The RGB of one pixel of the panel's image as the browser decoded it, or null while it loads. */
    @SuppressWarnings("unchecked")
    private static int[] pixel(ChromeDriver driver, String panel, int x, int y) {
        List<Number> rgb = (List<Number>) ((JavascriptExecutor) driver).executeScript("""
                const img = document.querySelector(`section.stream figure[data-panel='${arguments[0]}'] img`);
                if (!img || !img.complete || !img.naturalWidth) return null;
                const c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(arguments[1], arguments[2], 1, 1).data;
                return [d[0], d[1], d[2]];
                """, panel, x, y);
        return rgb == null ? null : rgb.stream().mapToInt(Number::intValue).toArray();
    }

    /** Sum of the samples of {@code name} whose label set contains {@code labels}. */
    static double sample(String scrape, String name, String labels) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
