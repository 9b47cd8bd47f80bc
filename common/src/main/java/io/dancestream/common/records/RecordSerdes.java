package io.dancestream.common.records;

import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;

/** The serde of every record type, with the checks each type must pass to be processed. */
public final class RecordSerdes {

    private RecordSerdes() {
    }

    private static String size(long seq, int width, int height) {
        if (seq < 0) {
            return "negative seq " + seq;
        }
        if (width <= 0 || height <= 0) {
            return "missing frame size (" + width + "x" + height + ")";
        }
        return null;
    }

    private static String firstOf(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    public static RecordSerde<Frame> frame() {
        return new RecordSerde<>(Frame.class, Frame.parser(), f -> firstOf(
                f.getStreamId().isEmpty() ? "missing stream_id" : null,
                size(f.getSeq(), f.getWidth(), f.getHeight()),
                f.getJpeg().isEmpty() ? "missing jpeg" : null));
    }

    public static RecordSerde<RawMask> rawMask() {
        return new RecordSerde<>(RawMask.class, RawMask.parser(), m -> firstOf(
                m.getStreamId().isEmpty() ? "missing stream_id" : null,
                m.getSeq() < 0 ? "negative seq" : null,
                m.getImage().isEmpty() ? "missing image" : null));
    }

    public static RecordSerde<Segmentation> segmentation() {
        return new RecordSerde<>(Segmentation.class, Segmentation.parser(), s -> firstOf(
                s.getStreamId().isEmpty() ? "missing stream_id" : null,
                size(s.getSeq(), s.getWidth(), s.getHeight()),
                s.getClassMap().isEmpty() ? "missing class_map" : null));
    }

    public static RecordSerde<TrainingPair> trainingPair() {
        return new RecordSerde<>(TrainingPair.class, TrainingPair.parser(), p -> firstOf(
                p.getStreamId().isEmpty() ? "missing stream_id" : null,
                size(p.getSeq(), p.getWidth(), p.getHeight()),
                p.getFrameJpeg().isEmpty() ? "missing frame_jpeg" : null,
                p.getClassMap().isEmpty() ? "missing class_map" : null));
    }

    public static RecordSerde<Rendered> rendered() {
        return new RecordSerde<>(Rendered.class, Rendered.parser(), r -> firstOf(
                r.getStreamId().isEmpty() ? "missing stream_id" : null,
                size(r.getSeq(), r.getWidth(), r.getHeight()),
                r.getJpeg().isEmpty() ? "missing jpeg" : null));
    }

    public static RecordSerde<ModelVersion> modelVersion() {
        return new RecordSerde<>(ModelVersion.class, ModelVersion.parser(), m -> firstOf(
                m.getName().isEmpty() ? "missing name" : null,
                m.getVersion().isEmpty() ? "missing version" : null,
                m.getLocation().isEmpty() ? "missing location" : null,
                m.getSha256().length() != 64 ? "sha256 is not 64 hex digits" : null));
    }
}
