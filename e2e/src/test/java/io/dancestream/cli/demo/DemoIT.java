package io.dancestream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dance demo --quick} as a user runs it (the cli jar in its own JVM): it exits 0, every
 * ingested source frame is rendered or counted as dropped, the side-by-side MP4 holds one frame
 * per source frame (the rendered ones with their render), and the summary table is printed.
 */
class DemoIT {

    @Test
    void quickDemoRendersTheSourceAndAccountsForEveryFrame(@TempDir Path out) throws Exception {
        String text = QuickDemo.run(out.resolve("demo.log"), "--out", out.toString(), "--viewer-port", "0",
                "--metrics-base-port", "0");

        Matcher acc = Pattern.compile("(\\d+) source frames ingested = (\\d+) rendered \\+ (\\d+) dropped").matcher(text);
        assertThat(acc.find()).as(text).isTrue();
        long ingested = Long.parseLong(acc.group(1));
        long rendered = Long.parseLong(acc.group(2));
        long dropped = Long.parseLong(acc.group(3));
        assertThat(ingested).isEqualTo(60);
        assertThat(rendered + dropped).isEqualTo(ingested);
        assertThat(rendered).as("at least one frame rendered").isPositive();

        assertThat(text).contains("time in stage ms p50/p95/p99").contains("Held-out evaluation on the serving path")
                .contains("(a) plate only").contains("(b) mean person crop").contains("(c) nearest neighbour")
                .contains("whole-frame SSIM").doesNotContain("(mean-frame baseline").doesNotContain("SIGSEGV");
        assertThat(text).contains("a DIFFERENT person").contains("frames 400-459");
        assertThat(out.resolve("demo-heldout-sheet.png")).exists();
        Path mp4 = out.resolve("demo-side-by-side.mp4");
        assertThat(mp4).exists();
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isGreaterThan(g.getImageHeight() * 2); // three panels side by side
            for (Frame f; (f = g.grabImage()) != null; ) {
                frames++;
            }
        }
        assertThat(frames).isEqualTo(ingested);
        assertThat(text).contains(ingested + " frames (source | parts | render)")
                .contains(rendered + " with a render");
    }
}
