package io.dancestream.cli.reliability;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.ModelChecksum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The bad-input corpus: every case is a record value (and key) for one topic, built here so
 * the large ones (10 MB of noise, an 8000×8000 JPEG) are never committed. Each case states the
 * outcome the contract asks of each consumer: transfer-stream (segments, models) must DLQ a
 * record it cannot use, with the reason; the viewer (frames, segments, rendered) skips and
 * counts what it cannot show (docs/design.md: the producing stage owns the DLQ).
 */
final class BadInputCorpus {

    enum Target { FRAMES, SEGMENTS, MODELS, RENDERED, MASKS }

    /** What transfer-stream does with a case. */
    enum TransferOutcome { DLQ, RENDERED, IGNORED, NOT_ITS_TOPIC }

    /** What the viewer does with a case. */
    enum ViewerOutcome { FAILED, SHOWN, IGNORED, NOT_ITS_TOPIC }

    /** What segment-stream does with a case. */
    enum SegmentOutcome { DLQ, SEGMENTED, IGNORED, NOT_ITS_TOPIC }

    record Case(String name, Target target, String key, byte[] value, String stream, long seq,
                TransferOutcome transfer, ViewerOutcome viewer, String why, SegmentOutcome segment) {

        Case(String name, Target target, String key, byte[] value, String stream, long seq,
             TransferOutcome transfer, ViewerOutcome viewer, String why) {
            this(name, target, key, value, stream, seq, transfer, viewer, why, SegmentOutcome.NOT_ITS_TOPIC);
        }

        /** The same case, with what segment-stream must do with it. */
        Case seg(SegmentOutcome expected) {
            return new Case(name, target, key, value, stream, seq, transfer, viewer, why, expected);
        }

        /** The same case with a null record key. */
        Case nullKey() {
            return new Case(name, target, null, value, stream, seq, transfer, viewer, why, segment);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Path work;
    private final ModelVersion validModel;
    private final Random random = new Random(11);
    private long nextSeq = 1000;

    /**
     * @param work a scratch dir for the model cases
     * @param validModel a published, loadable generator (the corrupt and mismatched cases derive from it)
     */
    BadInputCorpus(Path work, ModelVersion validModel) {
        this.work = work;
        this.validModel = validModel;
    }

    /** The cases every consumer survives as documented (order matters only for readability). */
    List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // dance.frames: the viewer (segment-stream when it lands)
        byte[] jpeg = jpeg(64, 48);
        c.add(frame("frame-empty-value", new byte[0], ViewerOutcome.FAILED, "zero-length value").seg(SegmentOutcome.DLQ));
        c.add(frame("frame-random-10mb", bytes(10 * 1024 * 1024), ViewerOutcome.FAILED, "10 MB of random bytes").seg(SegmentOutcome.DLQ));
        c.add(frame("frame-truncated-protobuf", half(frameOf("frame-truncated-protobuf", jpeg, 64, 48).toByteArray()),
                ViewerOutcome.FAILED, "a valid Frame cut in half").seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-truncated-jpeg", half(jpeg), 64, 48, ViewerOutcome.SHOWN,
                "JPEG cut in half: starts like a JPEG (the viewer checks the marker only)").seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-jpeg-1x1", jpeg(1, 1), 1, 1, ViewerOutcome.SHOWN, "valid 1x1 JPEG").seg(SegmentOutcome.SEGMENTED));
        c.add(frameCase("frame-jpeg-8000x8000", jpeg(8000, 8000), 8000, 8000, ViewerOutcome.SHOWN,
                "valid 8000x8000 JPEG").seg(SegmentOutcome.SEGMENTED));
        c.add(frame("frame-wrong-type", validModel.toByteArray(), ViewerOutcome.FAILED,
                "a ModelVersion protobuf on the frames topic").seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-declared-size-mismatch", jpeg, 1920, 1080, ViewerOutcome.SHOWN,
                "declares 1920x1080, holds a 64x48 JPEG").seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-png-not-jpeg", png(64, 48), 64, 48, ViewerOutcome.FAILED, "a PNG in the jpeg field").seg(SegmentOutcome.SEGMENTED));
        c.add(frameCase("frame-image-random", bytes(4096), 64, 48, ViewerOutcome.FAILED, "random bytes in the jpeg field").seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-negative-seq", jpeg, 64, 48, ViewerOutcome.FAILED, "seq -5", -5L).seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-zero-size", jpeg, 0, 0, ViewerOutcome.FAILED, "width = height = 0").seg(SegmentOutcome.DLQ));
        c.add(frame("frame-missing-stream-id", Frame.newBuilder().setSeq(1).setWidth(64).setHeight(48)
                .setJpeg(ByteString.copyFrom(jpeg)).build().toByteArray(), ViewerOutcome.FAILED, "no stream_id").seg(SegmentOutcome.DLQ));
        c.add(frameCase("frame-null-key", jpeg, 64, 48, ViewerOutcome.SHOWN, "valid frame, null record key").nullKey()
                .seg(SegmentOutcome.SEGMENTED));

        // dance.masks.raw: segment-stream's quantizer
        c.add(mask("mask-is-a-photo", photo(), SegmentOutcome.DLQ, "a photo (messi5.jpg) where a BodyPix colour mask belongs"));
        c.add(new Case("mask-empty-value", Target.MASKS, "mask-empty-value", new byte[0], "mask-empty-value", -1,
                TransferOutcome.NOT_ITS_TOPIC, ViewerOutcome.NOT_ITS_TOPIC, "zero-length value", SegmentOutcome.DLQ));
        c.add(mask("mask-random-bytes", bytes(4096), SegmentOutcome.DLQ, "random bytes as mask image"));
        c.add(new Case("mask-wrong-type", Target.MASKS, "mask-wrong-type", validModel.toByteArray(),
                "mask-wrong-type", -1, TransferOutcome.NOT_ITS_TOPIC,
                ViewerOutcome.NOT_ITS_TOPIC, "a ModelVersion protobuf on masks.raw", SegmentOutcome.DLQ));

        // dance.segments: transfer-stream and the viewer's part-map panel
        c.add(seg("seg-empty-value", new byte[0], TransferOutcome.DLQ, ViewerOutcome.FAILED, "zero-length value"));
        c.add(seg("seg-random-1mb", bytes(1 << 20), TransferOutcome.DLQ, ViewerOutcome.FAILED, "1 MB of random bytes"));
        c.add(seg("seg-truncated-protobuf", half(segOf("seg-truncated-protobuf", 64, 48).build().toByteArray()),
                TransferOutcome.DLQ, ViewerOutcome.FAILED, "a valid Segmentation cut in half"));
        c.add(seg("seg-wrong-type-frame", frameOf("seg-wrong-type-frame", jpeg, 64, 48).toByteArray(),
                TransferOutcome.DLQ, ViewerOutcome.FAILED, "a Frame protobuf (JPEG where the class map belongs)"));
        c.add(segMap("seg-class-map-wrong-size", SyntheticSegments.classMapPng(32, 24, 13), TransferOutcome.DLQ,
                ViewerOutcome.SHOWN, "declares 64x48, class map is 32x24 (viewer colours any 8-bit map)"));
        c.add(segMap("seg-class-map-jpeg", jpeg, TransferOutcome.DLQ, ViewerOutcome.FAILED, "a colour JPEG as class map"));
        c.add(segMap("seg-class-map-random", bytes(2048), TransferOutcome.DLQ, ViewerOutcome.FAILED,
                "random bytes as class map"));
        c.add(segMap("seg-class-map-16bit-png", png16(64, 48), TransferOutcome.DLQ, ViewerOutcome.FAILED,
                "16-bit PNG class map"));
        c.add(segMap("seg-class-map-rgb-png", png(64, 48), TransferOutcome.DLQ, ViewerOutcome.FAILED,
                "3-channel PNG class map"));
        c.add(segMap("seg-class-map-truncated-png", half(SyntheticSegments.classMapPng(64, 48, 13)), TransferOutcome.DLQ,
                ViewerOutcome.SHOWN, "PNG cut in half (the viewer checks the PNG header, colours when a page asks)"));
        c.add(seg("seg-zero-size", segOf("seg-zero-size", 64, 48).setWidth(0).setHeight(0).build().toByteArray(),
                TransferOutcome.DLQ, ViewerOutcome.FAILED, "width = height = 0"));
        c.add(seg("seg-null-key", segOf("seg-null-key", 64, 48).build().toByteArray(),
                TransferOutcome.RENDERED, ViewerOutcome.SHOWN, "valid segmentation, null record key").nullKey());
        c.add(seg("seg-unknown-stream", segOf("seg-unknown-stream", 64, 48).build().toByteArray(),
                TransferOutcome.RENDERED, ViewerOutcome.SHOWN, "a stream id nobody ingested: streams are dynamic"));
        c.add(seg("seg-4000x4000", segOf("seg-4000x4000", 4000, 4000).build().toByteArray(), TransferOutcome.RENDERED,
                ViewerOutcome.SHOWN, "a 4000x4000 class map (resized to the generator and back)"));
        c.add(seg("seg-capture-time-zero", segOf("seg-capture-time-zero", 64, 48).setCaptureTimeUs(0).build()
                .toByteArray(), TransferOutcome.RENDERED, ViewerOutcome.SHOWN, "capture time 1970: replay renders it"));

        // dance.models: transfer-stream's global store; a model that must not serve goes to the DLQ
        c.add(model("model-missing-dir", validModel.toBuilder().setVersion("missing")
                .setLocation(work.resolve("no-such-model").toString()).build().toByteArray(), "location does not exist"));
        c.add(model("model-corrupt-savedmodel", corruptModel().toByteArray(),
                "saved_model.pb is garbage, checksum matches the garbage"));
        c.add(model("model-wrong-checksum", validModel.toBuilder().setVersion("bad-sha")
                .setSha256("ab".repeat(32)).build().toByteArray(), "loadable model, sha256 of something else"));
        c.add(model("model-location-is-a-file", validModel.toBuilder().setVersion("file")
                .setLocation(Path.of(validModel.getLocation()).resolve("saved_model.pb").toString()).build()
                .toByteArray(), "location is a file, not a SavedModel dir"));
        c.add(model("model-sha-not-hex", validModel.toBuilder().setVersion("short-sha").setSha256("abc").build()
                .toByteArray(), "sha256 field of 3 characters"));
        c.add(model("model-random-bytes", bytes(4096), "random bytes"));
        c.add(model("model-empty-value", new byte[0], "zero-length value"));

        // dance.rendered: the viewer's render panel
        c.add(rendered("rendered-not-jpeg", png(64, 48), ViewerOutcome.FAILED, "a PNG in the jpeg field"));
        c.add(rendered("rendered-random-bytes", bytes(4096), ViewerOutcome.FAILED, "random bytes in the jpeg field"));
        return c;
    }

    /**
     * Tombstones (null values). RecordSerde documents a null value as a tombstone that stays
     * null; every consumer must ignore it.
     */
    List<Case> tombstones() {
        return List.of(
                new Case("frame-tombstone", Target.FRAMES, "frame-tombstone", null, "frame-tombstone", -1,
                        TransferOutcome.NOT_ITS_TOPIC, ViewerOutcome.IGNORED, "null value on frames")
                        .seg(SegmentOutcome.IGNORED),
                new Case("seg-tombstone", Target.SEGMENTS, "seg-tombstone", null, "seg-tombstone", -1,
                        TransferOutcome.IGNORED, ViewerOutcome.IGNORED, "null value on segments"),
                new Case("rendered-tombstone", Target.RENDERED, "rendered-tombstone", null, "rendered-tombstone", -1,
                        TransferOutcome.NOT_ITS_TOPIC, ViewerOutcome.IGNORED, "null value on rendered"),
                new Case("model-tombstone", Target.MODELS, "never-published", null, null, -1,
                        TransferOutcome.IGNORED, ViewerOutcome.NOT_ITS_TOPIC, "null value on models: retires a name"));
    }

    /** Class ids the schema does not have: docs/design.md "Part classes" allows 0..24 (+ face detail). */
    Case classIdsOver24() {
        return segMap("seg-class-ids-over-24", SyntheticSegments.classMapPng(64, 48, 200), TransferOutcome.DLQ,
                ViewerOutcome.SHOWN, "class map holds id 200");
    }

    // --- case builders ---

    private Case mask(String name, byte[] image, SegmentOutcome expected, String why) {
        long seq = nextSeq++;
        RawMask m = RawMask.newBuilder().setStreamId(name).setSeq(seq).setCaptureTimeUs(now()).setWidth(64).setHeight(48)
                .setImage(ByteString.copyFrom(image)).setSource("corpus").build();
        return new Case(name, Target.MASKS, name, m.toByteArray(), name, seq, TransferOutcome.NOT_ITS_TOPIC,
                ViewerOutcome.NOT_ITS_TOPIC, why, expected);
    }

    /** A real photo: OpenCV's messi5.jpg when installed, else a drawn picture. */
    private static byte[] photo() {
        Path messi = Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");
        try {
            return Files.isRegularFile(messi) ? Files.readAllBytes(messi) : jpeg(320, 240);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid BodyPix colour mask: white background, a torso_front block in its palette colour. */
    static byte[] colourMask(int w, int h) {
        io.dancestream.common.parts.BodyPart torso = io.dancestream.common.parts.BodyPart.values()[SyntheticSegments.TORSO_FRONT - 1];
        try (Mat m = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0))) {
            opencv_imgproc.rectangle(m, new Point(w / 4, h / 6), new Point(3 * w / 4 - 1, 5 * h / 6 - 1),
                    new Scalar(torso.blue(), torso.green(), torso.red(), 0), -1, opencv_imgproc.LINE_8, 0);
            return ImageCodec.encodePng(m);
        }
    }

    private Case frame(String name, byte[] value, ViewerOutcome viewer, String why) {
        return new Case(name, Target.FRAMES, name, value, name, -1, TransferOutcome.NOT_ITS_TOPIC, viewer, why);
    }

    private Case frameCase(String name, byte[] image, int w, int h, ViewerOutcome viewer, String why) {
        return frameCase(name, image, w, h, viewer, why, null);
    }

    private Case frameCase(String name, byte[] image, int w, int h, ViewerOutcome viewer, String why, Long seq) {
        long s = seq != null ? seq : nextSeq++;
        Frame f = Frame.newBuilder().setStreamId(name).setSeq(s).setCaptureTimeUs(now()).setWidth(w).setHeight(h)
                .setJpeg(ByteString.copyFrom(image)).setSource("corpus").build();
        return new Case(name, Target.FRAMES, name, f.toByteArray(), name, s, TransferOutcome.NOT_ITS_TOPIC, viewer, why);
    }

    private Frame frameOf(String stream, byte[] jpeg, int w, int h) {
        return Frame.newBuilder().setStreamId(stream).setSeq(nextSeq++).setCaptureTimeUs(now()).setWidth(w).setHeight(h)
                .setJpeg(ByteString.copyFrom(jpeg)).setSource("corpus").build();
    }

    private Segmentation.Builder segOf(String stream, int w, int h) {
        return SyntheticSegments.of(stream, nextSeq++, now(), w, h);
    }

    private Case seg(String name, byte[] value, TransferOutcome transfer, ViewerOutcome viewer, String why) {
        long seq = -1;
        try {
            seq = Segmentation.parseFrom(value).getSeq();
        } catch (com.google.protobuf.InvalidProtocolBufferException notOne) {
            // a broken value has no seq
        }
        return new Case(name, Target.SEGMENTS, name, value, name, seq, transfer, viewer, why);
    }

    private Case segMap(String name, byte[] classMap, TransferOutcome transfer, ViewerOutcome viewer, String why) {
        Segmentation s = segOf(name, 64, 48).setClassMap(ByteString.copyFrom(classMap)).build();
        return new Case(name, Target.SEGMENTS, name, s.toByteArray(), name, s.getSeq(), transfer, viewer, why);
    }

    private Case model(String name, byte[] value, String why) {
        return new Case(name, Target.MODELS, validModel.getName(), value, null, -1, TransferOutcome.DLQ,
                ViewerOutcome.NOT_ITS_TOPIC, why);
    }

    private Case rendered(String name, byte[] image, ViewerOutcome viewer, String why) {
        long seq = nextSeq++;
        Rendered r = Rendered.newBuilder().setStreamId(name).setSeq(seq).setCaptureTimeUs(now()).setWidth(64)
                .setHeight(48).setJpeg(ByteString.copyFrom(image)).setGeneratorVersion("corpus").build();
        return new Case(name, Target.RENDERED, name, r.toByteArray(), name, seq, TransferOutcome.NOT_ITS_TOPIC, viewer, why);
    }

    /** A copy of the valid model whose graph file is garbage, with the checksum of that garbage. */
    private ModelVersion corruptModel() {
        Path src = Path.of(validModel.getLocation());
        Path dst = work.resolve("corrupt-model");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
            Files.write(dst.resolve("saved_model.pb"), bytes(3000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return validModel.toBuilder().setVersion("corrupt").setLocation(dst.toString())
                .setSha256(ModelChecksum.of(dst)).build();
    }

    // --- payloads ---

    static long now() {
        return System.currentTimeMillis() * 1000;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] half(byte[] b) {
        return Arrays.copyOf(b, b.length / 2);
    }

    /** A real JPEG: a grey picture with a filled circle, so it has structure to decode. */
    static byte[] jpeg(int w, int h) {
        try (Mat m = picture(w, h)) {
            return ImageCodec.encodeJpeg(m);
        }
    }

    private static byte[] png(int w, int h) {
        try (Mat m = picture(w, h)) {
            return ImageCodec.encodePng(m);
        }
    }

    private static byte[] png16(int w, int h) {
        try (Mat m = new Mat(h, w, opencv_core.CV_16UC1, new Scalar(13 * 256))) {
            return ImageCodec.encodePng(m);
        }
    }

    private static Mat picture(int w, int h) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0));
        opencv_imgproc.circle(m, new Point(w / 2, h / 2), Math.max(1, Math.min(w, h) / 3), new Scalar(20, 200, 60, 0),
                -1, opencv_imgproc.LINE_8, 0);
        return m;
    }
}
