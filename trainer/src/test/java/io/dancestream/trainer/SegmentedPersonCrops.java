package io.dancestream.trainer;

import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.findNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.segmentstream.pose.SegmentationResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Training pairs whose part maps come from the real pose segmenter: every frame of OpenCV's
 * {@code vtest.avi} (768×576, static camera, pedestrians) is decoded with FFmpeg and segmented
 * at full size by {@link Segmenter} (BlazePose, tracking one person, BodyPix 24-part class map).
 * The person's bounding box in the class map gives a square crop (1.4 × the box, centre and side
 * smoothed so it does not jitter, clamped to the frame) cut from the frame (INTER_AREA) and the
 * class map (INTER_NEAREST) and scaled to {@code cropSize}². Frames without a person, or with a
 * person too small to crop, are skipped and counted.
 */
final class SegmentedPersonCrops {

    /** A box this much larger than the person's bounding box. */
    static final double MARGIN = 1.4;
    /** Smallest person (bounding-box height, frame pixels) that is cropped. */
    static final int MIN_PERSON_HEIGHT = 40;

    /** The pairs and how the frames were used. */
    record Result(List<TrainingPair> pairs, int frames, int noPerson, int tooSmall, long detectorRuns, double seconds) {

        String summary() {
            return String.format("SEGMENTED-CROPS frames=%d pairs=%d skipped_no_person=%d skipped_too_small=%d"
                    + " detector_runs=%d segment_seconds=%.1f", frames, pairs.size(), noPerson, tooSmall, detectorRuns, seconds);
        }
    }

    private SegmentedPersonCrops() {
    }

    /** @param cropSize side of the crops, or 0 for whole frames (what segment-stream publishes) */
    static Result load(String streamId, int maxFrames, int cropSize) throws Exception {
        List<TrainingPair> out = new ArrayList<>();
        int frames = 0;
        int noPerson = 0;
        int tooSmall = 0;
        long t0 = System.nanoTime();
        double cx = -1;
        double cy = -1;
        double side = -1;
        long runs;
        try (Segmenter seg = Segmenter.create(SegmenterConfig.defaults().withThreads(2));
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(VtestPairs.VTEST.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (int i = 0; i < maxFrames; i++) {
                Frame f = g.grabImage();
                if (f == null) {
                    break;
                }
                frames++;
                Mat frame = conv.convert(f).clone();
                SegmentationResult r = seg.segment(streamId, frame);
                try (Mat map = r.classMap()) {
                    if (cropSize <= 0) {
                        // whole frames, with or without a person: the trainer crops them itself
                        if (!r.hasPerson() || countNonZero(map) == 0) {
                            noPerson++;
                        }
                        out.add(TrainingPair.newBuilder().setStreamId(streamId).setSeq(i)
                                .setCaptureTimeUs(1_700_000_000_000_000L + i * 100_000L).setWidth(frame.cols())
                                .setHeight(frame.rows()).setFrameJpeg(ByteString.copyFrom(ImageCodec.encodeJpeg(frame, 90)))
                                .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(map)))
                                .setSegmentationSource("model").build());
                        frame.close();
                        continue;
                    }
                    if (!r.hasPerson() || countNonZero(map) == 0) {
                        noPerson++;
                        cx = -1; // the next person found starts a fresh crop track
                        frame.close();
                        continue;
                    }
                    Rect box;
                    try (Mat pts = new Mat()) {
                        findNonZero(map, pts);
                        box = boundingRect(pts);
                    }
                    if (box.height() < MIN_PERSON_HEIGHT) {
                        tooSmall++;
                        frame.close();
                        continue;
                    }
                    double bx = box.x() + box.width() / 2.0;
                    double by = box.y() + box.height() / 2.0;
                    double s = MARGIN * Math.max(box.height(), box.width());
                    if (cx < 0 || Math.hypot(bx - cx, by - cy) > 0.5 * side) {
                        cx = bx; // first frame or a different person: no smoothing across the jump
                        cy = by;
                        side = s;
                    } else {
                        cx = 0.6 * cx + 0.4 * bx;
                        cy = 0.6 * cy + 0.4 * by;
                        side = 0.8 * side + 0.2 * s;
                    }
                    // keep the whole box inside the square even when the smoothed values lag
                    int sq = (int) Math.round(Math.max(side, Math.max(box.height(), box.width()) + 8));
                    sq = Math.min(sq, Math.min(frame.cols(), frame.rows()));
                    int x0 = clamp((int) Math.round(cx - sq / 2.0), Math.max(0, box.x() + box.width() - sq),
                            Math.min(frame.cols() - sq, box.x()));
                    int y0 = clamp((int) Math.round(cy - sq / 2.0), Math.max(0, box.y() + box.height() - sq),
                            Math.min(frame.rows() - sq, box.y()));
                    x0 = Math.max(0, Math.min(frame.cols() - sq, x0));
                    y0 = Math.max(0, Math.min(frame.rows() - sq, y0));
                    try (Rect roi = new Rect(x0, y0, sq, sq); Mat fc = new Mat(frame, roi); Mat mc = new Mat(map, roi);
                         Mat fo = new Mat(); Mat mo = new Mat()) {
                        resize(fc, fo, new Size(cropSize, cropSize), 0, 0, INTER_AREA);
                        resize(mc, mo, new Size(cropSize, cropSize), 0, 0, INTER_NEAREST);
                        out.add(TrainingPair.newBuilder().setStreamId(streamId).setSeq(i)
                                .setCaptureTimeUs(1_700_000_000_000_000L + i * 100_000L).setWidth(cropSize).setHeight(cropSize)
                                .setFrameJpeg(ByteString.copyFrom(ImageCodec.encodeJpeg(fo, 90)))
                                .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(mo)))
                                .setSegmentationSource("model").build());
                    }
                    box.close();
                }
                frame.close();
            }
            g.stop();
            runs = seg.detectorRuns();
        }
        return new Result(out, frames, noPerson, tooSmall, runs, (System.nanoTime() - t0) / 1e9);
    }

    private static int clamp(int v, int lo, int hi) {
        return lo > hi ? v : Math.max(lo, Math.min(hi, v));
    }
}
