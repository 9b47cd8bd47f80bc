package io.dancestream.transferstream;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import com.google.protobuf.UnsafeByteOperations;
import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.image.PersonBox;
import io.dancestream.common.image.PersonComposite;
import io.dancestream.common.image.PersonCrop;
import io.dancestream.common.image.PoseNormalization;
import io.dancestream.common.image.SourcePlacement;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segmentations in, Rendered records out, for one batch: decode each class map, run the
 * generator once over the batch (or colour the part map when there is no generator yet), put
 * the rendered person over a background plate, encode JPEG.
 *
 * <p>A person-crop model ({@link GeneratorModel#personCrop()}) renders the person's crop and the
 * output is the plate's scene ({@link PersonComposite}): the model's own plate, or the
 * {@code --background} image, which overrides it, at its own size. A whole-frame model from
 * before person crops renders the whole frame as it always did, over the {@code --background}
 * plate if one is given.
 *
 * <p>Where the person goes in the plate's scene is the {@link Placement}: normalized maps the
 * source's box into the target's framing ({@link PoseNormalization}, from the stream's
 * {@link SourceFramings} and the model's target statistics), source keeps the source's position
 * ({@link SourcePlacement}). A model without target statistics, or a frame whose stream has none,
 * is placed as source.
 */
public final class FrameRenderer {

    public static final String NO_GENERATOR = "none";
    private static final Logger LOG = LoggerFactory.getLogger(FrameRenderer.class);

    private final int jpegQuality;
    private final Mat backgroundPlate;
    private final TransferMeters meters;
    private final Placement placement;
    /** Models already reported as lacking target statistics (said once, not per frame). */
    private final Set<String> unframedModels = ConcurrentHashMap.newKeySet();
    /**
     * The plate resized per frame size (key cols << 32 | rows), read-only and shared by every task
     * rendering at that size: one renderer serves all streams, so streams of different sizes
     * interleave and a single cached size would be resized again on nearly every frame.
     */
    private final Map<Long, Mat> scaledPlates = new ConcurrentHashMap<>();
    /** Sizes kept at most; past it the cache starts again (a stream of ever-changing sizes). */
    static final int MAX_PLATE_SIZES = 16;

    /**
     * @param backgroundPlate BGR image the person is composed over, or null: the plate of a
     *     person-crop model, or the generator's own background for a whole-frame model
     */
    public FrameRenderer(int jpegQuality, Mat backgroundPlate, TransferMeters meters) {
        this(jpegQuality, backgroundPlate, meters, Placement.normalized);
    }

    public FrameRenderer(int jpegQuality, Mat backgroundPlate, TransferMeters meters, Placement placement) {
        this.jpegQuality = jpegQuality;
        this.backgroundPlate = backgroundPlate;
        this.meters = meters;
        this.placement = placement;
    }

    /** One batch item's outcome: a Rendered record, or the error that sends it to the DLQ. */
    public record Outcome(Rendered rendered, RuntimeException error) {
    }

    /**
     * Renders {@code batch} with {@code model} (null: placeholder). Items whose class map is
     * corrupt get an error outcome; the others render.
     */
    public List<Outcome> render(List<Segmentation> batch, GeneratorModel model, long startUs) {
        return render(batch, model, startUs, null);
    }

    /**
     * As {@link #render(List, GeneratorModel, long)}; every frame with a person is also observed
     * into its stream's {@code framings} (whatever the model: the statistics belong to the
     * source), null: no statistics, source placement.
     */
    public List<Outcome> render(List<Segmentation> batch, GeneratorModel model, long startUs, SourceFramings framings) {
        return render(batch, model, startUs, framings, null);
    }

    /**
     * As {@link #render(List, GeneratorModel, long, SourceFramings)}; a person-crop model renders
     * each stream's frames in order through its {@code histories} (steady crop, a two-frame model
     * conditioned on the stream's last render), null: each frame on its own.
     */
    public List<Outcome> render(List<Segmentation> batch, GeneratorModel model, long startUs, SourceFramings framings,
                         RenderHistories histories) {
        List<Outcome> out = new ArrayList<>(batch.size());
        List<Mat> maps = new ArrayList<>(batch.size());
        try {
            for (Segmentation s : batch) {
                try {
                    maps.add(decodeClassMap(s));
                    out.add(null);
                } catch (RuntimeException e) {
                    maps.add(null);
                    out.add(new Outcome(null, e));
                }
            }
            List<Mat> valid = new ArrayList<>(batch.size());
            List<Segmentation> validSegs = new ArrayList<>(batch.size());
            List<Framed> framed = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                if (maps.get(i) != null) {
                    valid.add(maps.get(i));
                    validSegs.add(batch.get(i));
                    framed.add(observe(batch.get(i), maps.get(i), framings));
                }
            }
            boolean personCrop = model != null && model.personCrop();
            List<Mat> images = valid.isEmpty() ? List.of()
                    : personCrop ? renderPeople(validSegs, valid, model, framed, histories) : renderImages(valid, model);
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (out.get(i) != null) {
                    continue;
                }
                try (Mat img = images.get(next++)) {
                    if (!personCrop) {
                        compose(img, maps.get(i));
                    }
                    byte[] jpeg = ImageCodec.encodeJpeg(img, jpegQuality);
                    Segmentation s = batch.get(i);
                    out.set(i, new Outcome(Rendered.newBuilder()
                            .setStreamId(s.getStreamId()).setSeq(s.getSeq()).setCaptureTimeUs(s.getCaptureTimeUs())
                            .setWidth(img.cols()).setHeight(img.rows()).setJpeg(UnsafeByteOperations.unsafeWrap(jpeg))
                            .setGeneratorVersion(model == null ? NO_GENERATOR : model.label())
                            .setPlaceholder(model == null)
                            .addAllTimings(s.getTimingsList())
                            .addTimings(Timings.stage(TransferMeters.STAGE, startUs, Timings.nowMicros()))
                            .build(), null));
                }
            }
            return out;
        } finally {
            maps.forEach(m -> {
                if (m != null) {
                    m.close();
                }
            });
        }
    }

    private List<Mat> renderImages(List<Mat> maps, GeneratorModel model) {
        if (model == null) {
            meters.placeholder.increment(maps.size());
            List<Mat> colour = new ArrayList<>(maps.size());
            maps.forEach(m -> colour.add(PartSchema.colorize(m)));
            return colour;
        }
        long t0 = System.nanoTime();
        List<Mat> images = model.render(maps);
        meters.recordInference(model, System.nanoTime() - t0, maps.size());
        meters.batchSize.record(maps.size());
        return images;
    }

    /** A frame's person box (null: no person) and its stream's statistics so far (null: none kept, or no person). */
    private record Framed(PersonBox box, FramingStats source) {
    }

    private static Framed observe(Segmentation s, Mat map, SourceFramings framings) {
        // the box is measured once per frame: the statistics take it and the crop is cut around it
        PersonBox box = PersonBox.of(map).orElse(null);
        if (box == null || framings == null) {
            return new Framed(box, null);
        }
        return new Framed(box, framings.observe(s.getStreamId(), s.getTrackId(), box));
    }

    /** Where each frame's crop goes in the plate's scene. */
    private PersonComposite.Placer placer(GeneratorModel model, List<Framed> framed) {
        if (placement == Placement.source) {
            return PersonComposite.PROPORTIONAL;
        }
        FramingStats target = model.targetFraming();
        if (target == null) {
            if (unframedModels.add(model.label())) {
                LOG.warn("model {} carries no target framing statistics (trained before pose normalization): "
                        + "placing its person where the source stands", model.label());
            }
            return PersonComposite.PROPORTIONAL;
        }
        Mat modelPlate = model.plate();
        return (i, box, sw, sh, dw, dh) -> {
            Framed f = framed.get(i);
            if (f.source() == null) {
                return SourcePlacement.place(box, sw, sh, dw, dh);
            }
            PersonCrop inTarget = PoseNormalization.between(f.box(), f.source(), target).apply(box);
            // the target's statistics are in its plate's pixels; a --background of another size gets them proportionally
            return SourcePlacement.place(inTarget, modelPlate.cols(), modelPlate.rows(), dw, dh);
        };
    }

    /**
     * Person-crop model: crop → generator → placement → blend over the plate. With histories, each
     * frame's crop and conditioning come from its stream's history, in order: a single-frame model
     * still renders the batch in one call; a two-frame model renders it in waves (every stream's
     * next frame), since a frame needs its predecessor's render.
     */
    private List<Mat> renderPeople(List<Segmentation> segs, List<Mat> maps, GeneratorModel model, List<Framed> framed,
                                   RenderHistories histories) {
        Mat plate = backgroundPlate != null ? backgroundPlate : model.plate();
        int n = maps.size();
        List<PersonCrop> boxes = new ArrayList<>(java.util.Collections.nCopies(n, (PersonCrop) null));
        List<Mat> rendered = new ArrayList<>(java.util.Collections.nCopies(n, (Mat) null));
        try {
            for (List<Integer> wave : waves(segs, histories != null && model.temporal())) {
                List<Integer> people = new ArrayList<>(wave.size());
                List<RenderHistories.Plan> plans = new ArrayList<>(wave.size());
                List<Mat> inputs = new ArrayList<>(wave.size());
                List<Mat> previous = new ArrayList<>(wave.size());
                try {
                    for (int i : wave) {
                        PersonBox box = framed.get(i).box();
                        if (box == null) {
                            continue;
                        }
                        PersonCrop raw = box.crop(PersonCrop.MARGIN);
                        RenderHistories.Plan plan = histories == null
                                ? new RenderHistories.Plan(raw, null, RenderHistories.Outcome.first, null)
                                : histories.plan(segs.get(i), raw, model);
                        plans.add(plan);
                        if (histories != null) {
                            meters.conditioning(plan.outcome());
                            if (!model.temporal()) {
                                histories.remember(segs.get(i), plan, model, null);
                            }
                        }
                        people.add(i);
                        boxes.set(i, plan.crop());
                        inputs.add(plan.crop().cutIds(maps.get(i), model.inputSize()));
                        previous.add(plan.previous());
                    }
                    if (inputs.isEmpty()) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    List<Mat> out = model.renderCrops(inputs, previous);
                    meters.recordInference(model, System.nanoTime() - t0, inputs.size());
                    meters.batchSize.record(inputs.size());
                    for (int k = 0; k < out.size(); k++) {
                        int i = people.get(k);
                        rendered.set(i, out.get(k));
                        if (histories != null && model.temporal()) {
                            histories.remember(segs.get(i), plans.get(k), model, out.get(k));
                        }
                    }
                } finally {
                    inputs.forEach(Mat::close);
                    plans.forEach(RenderHistories.Plan::close);
                }
            }
            List<Mat> inOrder = rendered.stream().filter(java.util.Objects::nonNull).toList();
            PersonComposite.Crops crops = new PersonComposite.Crops(boxes, List.of());
            return PersonComposite.compose(maps, crops, inOrder, plate, placer(model, framed));
        } finally {
            rendered.forEach(m -> {
                if (m != null) {
                    m.close();
                }
            });
        }
    }

    /**
     * The batch's indices in render rounds: all at once, or (sequential) round k holds every
     * stream's k-th frame of the batch, so each frame comes after its predecessor of the same stream.
     */
    static List<List<Integer>> waves(List<Segmentation> segs, boolean sequential) {
        List<Integer> all = new ArrayList<>(segs.size());
        for (int i = 0; i < segs.size(); i++) {
            all.add(i);
        }
        if (!sequential) {
            return List.of(all);
        }
        Map<String, Integer> seen = new java.util.HashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            int k = seen.merge(segs.get(i).getStreamId(), 1, Integer::sum) - 1;
            if (k == out.size()) {
                out.add(new ArrayList<>());
            }
            out.get(k).add(i);
        }
        return out;
    }

    /** The class map as an 8-bit single-channel Mat of the frame's size, or a clear error. */
    static Mat decodeClassMap(Segmentation s) {
        Mat m;
        try {
            m = ImageCodec.decodeUnchanged(s.getClassMap().toByteArray());
        } catch (ImageCodec.ImageDecodeException e) {
            throw new CorruptClassMapException("class map of " + s.getStreamId() + " seq " + s.getSeq()
                    + " is not a PNG: " + e.getMessage());
        }
        if (m.type() != opencv_core.CV_8UC1 || m.cols() != s.getWidth() || m.rows() != s.getHeight()) {
            String got = m.cols() + "x" + m.rows() + " with " + m.channels() + " channel(s) of depth " + m.depth();
            m.close();
            throw new CorruptClassMapException("class map of " + s.getStreamId() + " seq " + s.getSeq()
                    + " must be 8-bit single-channel " + s.getWidth() + "x" + s.getHeight() + ", is " + got);
        }
        double[] max = new double[1];
        opencv_core.minMaxLoc(m, (double[]) null, max, null, null, null);
        int count = io.dancestream.common.parts.BodyPart.classCount(s.getSchema());
        if (max[0] >= count) {
            m.close();
            throw new CorruptClassMapException("class map of " + s.getStreamId() + " seq " + s.getSeq()
                    + " holds class id " + (int) max[0] + ", above the " + (count - 1) + " of schema '"
                    + (s.getSchema().isEmpty() ? "bodypix24" : s.getSchema()) + "'");
        }
        return m;
    }

    /** Puts the rendered person (class map != background) over the background plate. */
    private void compose(Mat rendered, Mat classMap) {
        if (backgroundPlate == null) {
            return;
        }
        Mat plate = plateAt(rendered.cols(), rendered.rows());
        try (Mat background = new Mat()) {
            // any id > 0 is the person; the plate shows where the id is 0
            threshold(classMap, background, 0, 255, THRESH_BINARY_INV);
            plate.copyTo(rendered, background);
        }
    }

    /**
     * The plate at a frame size, resized once per size rather than per frame. Plates dropped when
     * the cache starts again are left to the garbage collector: another task may still read one.
     */
    private Mat plateAt(int cols, int rows) {
        if (scaledPlates.size() >= MAX_PLATE_SIZES) {
            scaledPlates.clear();
        }
        return scaledPlates.computeIfAbsent(((long) cols << 32) | rows, k -> {
            Mat m = new Mat();
            try (Size size = new Size(cols, rows)) {
                resize(backgroundPlate, m, size, 0, 0, INTER_LINEAR);
            }
            return m;
        });
    }

    /** Frame sizes whose plate is cached. */
    int plateSizes() {
        return scaledPlates.size();
    }

    /** A class map that cannot be used (not a PNG, wrong size or type). */
    static final class CorruptClassMapException extends RuntimeException {
        CorruptClassMapException(String message) {
            super(message);
        }
    }
}
