package io.dancestream.transferstream;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import com.google.protobuf.UnsafeByteOperations;
import io.dancestream.common.image.CropReprojection;
import io.dancestream.common.image.CropSmoother;
import io.dancestream.common.image.PersonCrop;
import io.dancestream.common.proto.RenderHistory;
import io.dancestream.common.proto.Segmentation;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What ties the frames of one stream together on the live path, kept per stream id in a
 * {@link Store} (transfer-stream's changelogged store, so a restart does not reset every
 * stream): the steady person crop ({@link CropSmoother}) and, for a two-frame generator, the
 * last rendered crop, re-projected into the next frame's crop and fed back
 * ({@link CropReprojection}).
 *
 * <p>A frame continues its stream's history when it is the same track, later in seq, and at most
 * {@link TransferSettings.Continuity#resetAfter()} after the last rendered frame by capture time:
 * a few dropped frames in between still condition on the last render, so nothing pops. A stream
 * idle past that, a re-acquired track (another {@code track_id}) or an out-of-order frame starts
 * over: the frame's own crop and no previous render. Another generator than the one that made the
 * last render (a hot swap) keeps the steady crop but starts the conditioning over, since a render
 * of another model is not what this one was trained to follow.
 */
public final class RenderHistories {

    /** Where the histories live, by stream id. */
    public interface Store {
        RenderHistory get(String streamId);

        void put(String streamId, RenderHistory history);
    }

    /** Why a frame is or is not conditioned on its stream's last render (the metric's {@code outcome} tag). */
    enum Outcome {
        /** conditioned on the last render (or, for a single-frame model, continuing the steady crop) */
        continued,
        /** the stream's first frame seen */
        first,
        /** idle past the reset gap */
        gap,
        /** another track, or a frame older than the last */
        track,
        /** the last render came from another generator */
        generator
    }

    /** One frame's plan: its crop, the previous render re-projected into it (BGR, or null), and why. */
    record Plan(PersonCrop crop, Mat previous, Outcome outcome, CropSmoother.State smoothing) implements AutoCloseable {
        @Override
        public void close() {
            if (previous != null) {
                previous.close();
            }
        }
    }

    private final Store store;
    private final TransferSettings.Continuity continuity;
    private final CropSmoother smoother;

    public RenderHistories(Store store, TransferSettings.Continuity continuity) {
        this.store = store;
        this.continuity = continuity;
        // the smoother's own seq gap is not the rule here: the capture-time gap is
        this.smoother = continuity.steadyCrop() ? CropSmoother.defaults(Integer.MAX_VALUE) : null;
    }

    /** The plan for frame {@code s}, whose part map's own crop is {@code raw}, rendered by {@code model}. */
    Plan plan(Segmentation s, PersonCrop raw, GeneratorModel model) {
        RenderHistory h = store.get(s.getStreamId());
        Outcome outcome = h == null ? Outcome.first
                : !h.getTrackId().equals(s.getTrackId()) || s.getSeq() <= h.getSeq() ? Outcome.track
                : s.getCaptureTimeUs() - h.getCaptureTimeUs() > continuity.resetAfter().toNanos() / 1000 ? Outcome.gap
                : Outcome.continued;
        boolean continues = outcome == Outcome.continued;
        PersonCrop crop = raw;
        CropSmoother.State smoothing = null;
        if (smoother != null) {
            CropSmoother.Step step = smoother.next(continues ? smoothingOf(h) : null, s.getSeq(), raw);
            crop = step.crop();
            smoothing = step.state();
        }
        Mat previous = null;
        if (model.temporal() && continues) {
            if (!h.getGenerator().equals(model.label()) || h.getSize() != model.inputSize() || h.getRgb().isEmpty()) {
                outcome = Outcome.generator;
            } else {
                previous = reprojected(h, crop);
            }
        }
        return new Plan(crop, previous, outcome, smoothing);
    }

    /** Records frame {@code s} as rendered by {@code model} at {@code plan}'s crop; {@code rendered} is the generated crop (BGR), kept for a two-frame model. */
    void remember(Segmentation s, Plan plan, GeneratorModel model, Mat rendered) {
        PersonCrop c = plan.crop();
        RenderHistory.Builder b = RenderHistory.newBuilder().setTrackId(s.getTrackId()).setSeq(s.getSeq())
                .setCaptureTimeUs(s.getCaptureTimeUs()).setCropX(c.x()).setCropY(c.y()).setCropSide(c.side());
        CropSmoother.State st = plan.smoothing();
        if (st != null) {
            b.setSmoothCx(st.cx()).setSmoothDcx(st.dcx()).setSmoothCy(st.cy()).setSmoothDcy(st.dcy())
                    .setSmoothSide(st.side()).setSmoothDside(st.dside());
        }
        if (model.temporal() && rendered != null) {
            int size = rendered.cols();
            byte[] rgb = new byte[size * size * 3];
            try (Mat m = new Mat()) {
                cvtColor(rendered, m, COLOR_BGR2RGB);
                m.data().get(rgb);
            }
            b.setGenerator(model.label()).setSize(size).setRgb(UnsafeByteOperations.unsafeWrap(rgb));
        }
        store.put(s.getStreamId(), b.build());
    }

    private static CropSmoother.State smoothingOf(RenderHistory h) {
        if (h.getSmoothSide() <= 0) {
            return null; // written without a steady crop
        }
        return new CropSmoother.State(h.getSeq(), h.getSmoothCx(), h.getSmoothDcx(), h.getSmoothCy(), h.getSmoothDcy(),
                h.getSmoothSide(), h.getSmoothDside());
    }

    private static Mat reprojected(RenderHistory h, PersonCrop to) {
        int size = h.getSize();
        try (Mat rgb = new Mat(size, size, opencv_core.CV_8UC3); Mat bgr = new Mat()) {
            rgb.data().put(h.getRgb().toByteArray());
            cvtColor(rgb, bgr, COLOR_RGB2BGR);
            return CropReprojection.apply(bgr, new PersonCrop(h.getCropX(), h.getCropY(), h.getCropSide()), to);
        }
    }
}
