package io.dancestream.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.cli.reliability.BadInputCorpus.Case;
import io.dancestream.cli.reliability.BadInputCorpus.TransferOutcome;
import io.dancestream.cli.reliability.BadInputCorpus.ViewerOutcome;
import io.dancestream.cli.reliability.CorpusPipeline.Observed;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus against the running in-process pipeline (segment-stream with real
 * BlazePose, transfer-stream with a real generator, the viewer) on the embedded broker: each case
 * goes to the topic it attacks; no service dies, what a streams app cannot use lands in the DLQ
 * with the reason and its failed counter moves, what the viewer cannot show is skipped and
 * counted. Prints case → outcome (docs/benchmarks-reliability.md holds a run's table).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class BadInputIT {

    @TempDir
    Path dir;

    @Test
    void everyBadInputIsDeadLetteredOrHandledAsDocumentedAndNoServiceDies(EmbeddedKafkaBroker broker) throws Exception {
        List<Observed> seen = run(broker, corpus -> corpus.cases());
        assertThat(seen).hasSizeGreaterThanOrEqualTo(25);
        SoftAssertions soft = new SoftAssertions();
        for (Observed o : seen) {
            Case c = o.c();
            soft.assertThat(o.segment()).as(c.name() + ": segment-stream outcome").isEqualTo(c.segment());
            soft.assertThat(o.transfer()).as(c.name() + ": transfer-stream outcome").isEqualTo(c.transfer());
            soft.assertThat(o.viewer()).as(c.name() + ": viewer outcome").isEqualTo(c.viewer());
            if (o.segment() == BadInputCorpus.SegmentOutcome.DLQ) {
                soft.assertThat(o.reason()).as(c.name() + ": DLQ reason").hasSizeGreaterThan(30);
                soft.assertThat(o.segmentFailed()).as(c.name() + ": segment-stream failed counter").isGreaterThanOrEqualTo(1);
            }
            if (o.transfer() == TransferOutcome.DLQ) {
                soft.assertThat(o.reason()).as(c.name() + ": DLQ reason").startsWith("transfer-stream: ").hasSizeGreaterThan(30);
                double moved = c.target() == BadInputCorpus.Target.MODELS ? o.modelsRejected() : o.transferFailed();
                soft.assertThat(moved).as(c.name() + ": failed/rejected counter").isGreaterThanOrEqualTo(1);
            }
            if (o.viewer() == ViewerOutcome.FAILED) {
                soft.assertThat(o.viewerFailed()).as(c.name() + ": viewer failed counter").isGreaterThanOrEqualTo(1);
            }
            soft.assertThat(o.segmentAlive()).as(c.name() + ": segment-stream still running").isTrue();
            soft.assertThat(o.transferAlive()).as(c.name() + ": transfer-stream still running").isTrue();
            soft.assertThat(o.viewerAlive()).as(c.name() + ": viewer still consuming").isTrue();
        }
        soft.assertAll();
    }

    @Test
    void tombstonesAreIgnoredAndUnknownClassIdsDeadLettered(EmbeddedKafkaBroker broker) throws Exception {
        List<Observed> seen = run(broker, corpus -> {
            List<Case> c = new ArrayList<>(corpus.tombstones());
            c.add(0, corpus.classIdsOver24());
            return c;
        });
        SoftAssertions soft = new SoftAssertions();
        for (Observed o : seen) {
            soft.assertThat(o.segment()).as(o.c().name() + ": segment-stream outcome").isEqualTo(o.c().segment());
            soft.assertThat(o.transfer()).as(o.c().name() + ": transfer-stream outcome").isEqualTo(o.c().transfer());
            soft.assertThat(o.viewer()).as(o.c().name() + ": viewer outcome").isEqualTo(o.c().viewer());
            soft.assertThat(o.segmentAlive() && o.transferAlive() && o.viewerAlive()).as(o.c().name() + ": services alive").isTrue();
        }
        soft.assertAll();
    }

    private List<Observed> run(EmbeddedKafkaBroker broker, java.util.function.Function<BadInputCorpus, List<Case>> pick)
            throws Exception {
        ModelVersion model = TinyGenerator.export(dir.resolve("model"), "dancer", "1");
        List<Observed> seen = new ArrayList<>();
        try (CorpusPipeline pipeline = new CorpusPipeline(broker.clients(), TestTopics.unique("corpus"), model)) {
            for (Case c : pick.apply(new BadInputCorpus(dir, model))) {
                seen.add(pipeline.feed(c));
            }
        }
        System.out.println(table(seen));
        return seen;
    }

    static String table(List<Observed> seen) {
        StringBuilder sb = new StringBuilder("\n| case | topic | expected (segment / transfer / viewer) "
                + "| observed (segment / transfer / viewer) | Δ failed segment/transfer/models/viewer | DLQ reason |\n"
                + "|---|---|---|---|---|---|\n");
        for (Observed o : seen) {
            Case c = o.c();
            String reason = o.reason() == null ? "" : o.reason().replace('|', '/');
            if (reason.length() > 140) {
                reason = reason.substring(0, 140) + "…";
            }
            boolean match = o.segment() == c.segment() && o.transfer() == c.transfer() && o.viewer() == c.viewer();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s / %s / %s | %s / %s / %s%s | %.0f/%.0f/%.0f/%.0f | %s |%n",
                    c.name(), c.target().name().toLowerCase(Locale.ROOT), c.segment(), c.transfer(), c.viewer(),
                    o.segment(), o.transfer(), o.viewer(), match ? "" : " **MISMATCH**",
                    o.segmentFailed(), o.transferFailed(), o.modelsRejected(), o.viewerFailed(), reason));
        }
        return sb.toString();
    }
}
