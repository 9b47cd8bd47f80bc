package io.dancestream.transferstream;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static io.dancestream.common.records.GeneratorSignature.SIGNATURE;
import static io.dancestream.common.records.GeneratorSignature.INPUT;
import static io.dancestream.common.records.GeneratorSignature.OUTPUT;
import static io.dancestream.common.records.GeneratorSignature.PREVIOUS;
import static io.dancestream.common.records.GeneratorSignature.PREVIOUS_CROP;
import static io.dancestream.common.records.GeneratorSignature.PERSON_CROP;

import io.dancestream.common.config.TensorFlowThreads;
import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TUint8;

/**
 * One loaded generator: the trainer's SavedModel behind its serving signature (uint8 class ids
 * [N,S,S] → uint8 RGB [N,S,S,3]). A whole-frame model (no geometry in its ModelVersion, trained
 * before person crops) gets each part map resized to S×S (nearest: ids must not blend) and its
 * output resized back to the frame, see {@link #render}. A person-crop model gets S×S crops
 * ({@link #renderCrops}) and carries its background plate, read from the model directory. Either
 * way the renderer does no tensor math of its own.
 *
 * <p>Reference counted: a hot swap retires the old model while a batch may still run on it; it
 * is closed when the last user releases it.
 */
public final class GeneratorModel {

    private final ModelVersion version;
    private final SavedModelBundle bundle;
    private final SessionFunction function;
    private final int size;
    /** The person-crop model's background plate (BGR), null for a whole-frame model. */
    private final Mat plate;
    private final boolean temporal;
    private final AtomicInteger refs = new AtomicInteger(1);

    private GeneratorModel(ModelVersion version, SavedModelBundle bundle, int size, Mat plate, boolean temporal) {
        this.version = version;
        this.bundle = bundle;
        this.function = bundle.function(SIGNATURE);
        this.size = size;
        this.plate = plate;
        this.temporal = temporal;
    }

    /**
     * Loads the SavedModel at {@code version.location} and checks its signature against the
     * contract. Throws {@link IllegalArgumentException} naming what is wrong.
     */
    static GeneratorModel load(ModelVersion version) {
        return load(version, TransferSettings.DEFAULT_INFERENCE_THREADS);
    }

    /** As {@link #load(ModelVersion)}, {@code threads} TensorFlow intra-op threads per run (0: all cores). */
    static GeneratorModel load(ModelVersion version, int threads) {
        checkFraming(version);
        Mat plate = readPlate(version);
        try {
            return load(version, plate, threads);
        } catch (RuntimeException e) {
            if (plate != null) {
                plate.close();
            }
            throw e;
        }
    }

    /** Target statistics that would scale by zero or infinity are refused rather than rendered as nothing. */
    private static void checkFraming(ModelVersion version) {
        if (!version.hasTargetFraming() || version.getTargetFraming().getFrames() == 0) {
            return;
        }
        var f = version.getTargetFraming();
        if (!(f.getNearHeight() > 0 && f.getFarHeight() > 0) || !Double.isFinite(f.getNearFootY() + f.getFarFootY()
                + f.getNearHeight() + f.getFarHeight() + f.getMeanCenterX())) {
            throw new IllegalArgumentException("target_framing needs positive, finite heights and positions, is "
                    + f.toString().replace('\n', ' ').trim());
        }
    }

    /**
     * The plate a person-crop model announces, checked against its announced size; null for a
     * whole-frame model. A geometry this build does not know is refused rather than rendered wrong.
     */
    private static Mat readPlate(ModelVersion version) {
        String geometry = version.getGeometry();
        if (geometry.isEmpty()) {
            return null;
        }
        if (!geometry.equals(PERSON_CROP)) {
            throw new IllegalArgumentException("geometry '" + geometry + "' is not one this transfer-stream renders (only '"
                    + PERSON_CROP + "' or none, a whole-frame model)");
        }
        if (version.getBackgroundPlate().isEmpty()) {
            throw new IllegalArgumentException("a " + PERSON_CROP + " model must name its background_plate");
        }
        Path file = Path.of(version.getLocation()).resolve(version.getBackgroundPlate()).normalize();
        if (!file.startsWith(Path.of(version.getLocation()).normalize()) || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("background plate '" + version.getBackgroundPlate()
                    + "' is not a file in the model directory " + version.getLocation());
        }
        Mat plate;
        try {
            plate = ImageCodec.decodeColor(Files.readAllBytes(file));
        } catch (IOException | ImageCodec.ImageDecodeException e) {
            throw new IllegalArgumentException("cannot read background plate " + file + ": " + e.getMessage(), e);
        }
        if (plate.cols() != version.getPlateWidth() || plate.rows() != version.getPlateHeight()) {
            String got = plate.cols() + "x" + plate.rows();
            plate.close();
            throw new IllegalArgumentException("background plate " + file + " is " + got + ", ModelVersion says "
                    + version.getPlateWidth() + "x" + version.getPlateHeight());
        }
        return plate;
    }

    private static GeneratorModel load(ModelVersion version, Mat plate, int threads) {
        SavedModelBundle bundle;
        try {
            SavedModelBundle.Loader loader = SavedModelBundle.loader(version.getLocation()).withTags("serve");
            // this model's own pools (common's TensorFlowThreads): intra-op threads as asked, and an
            // inter-op thread per core so concurrent callers (stream threads) run at the same time
            int cores = Runtime.getRuntime().availableProcessors();
            ConfigProto.Builder config = ConfigProto.newBuilder().setUsePerSessionThreads(true)
                    .setIntraOpParallelismThreads(threads > 0 ? threads : cores).setInterOpParallelismThreads(cores);
            config.getExperimentalBuilder().setDisableThreadSpinning(!TensorFlowThreads.spinning());
            loader.withConfigProto(config.build());
            bundle = loader.load();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot load SavedModel " + version.getLocation() + ": " + e.getMessage(), e);
        }
        try {
            Signature sig = bundle.signatures().stream().filter(s -> s.key().equals(SIGNATURE)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("SavedModel has no '" + SIGNATURE + "' signature"));
            Signature.TensorDescription in = sig.getInputs().get(INPUT);
            Signature.TensorDescription out = sig.getOutputs().get(OUTPUT);
            if (in == null || out == null) {
                throw new IllegalArgumentException("signature '" + SIGNATURE + "' must take '" + INPUT + "' and return '"
                        + OUTPUT + "', has " + sig.inputNames() + " -> " + sig.outputNames());
            }
            if (in.dataType != DataType.DT_UINT8 || out.dataType != DataType.DT_UINT8) {
                throw new IllegalArgumentException("signature must map uint8 to uint8, is " + in.dataType + " -> " + out.dataType);
            }
            Shape s = in.shape;
            if (s.numDimensions() != 3 || s.size(1) <= 0 || s.size(1) != s.size(2)) {
                throw new IllegalArgumentException("input '" + INPUT + "' must be [N,S,S], is " + s);
            }
            int size = (int) s.size(1);
            if (version.getInputSize() > 0 && version.getInputSize() != size) {
                throw new IllegalArgumentException("ModelVersion says input_size " + version.getInputSize()
                        + " but the SavedModel takes " + size);
            }
            boolean temporal = checkConditioning(version, sig, size, plate != null);
            return new GeneratorModel(version, bundle, size, plate, temporal);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * A two-frame model says so in its ModelVersion and takes {@value io.dancestream.common.records.GeneratorSignature#PREVIOUS} uint8 [N,S,S,3];
     * either without the other is refused, as is a conditioning this build does not know.
     */
    private static boolean checkConditioning(ModelVersion version, Signature sig, int size, boolean personCrop) {
        String conditioning = version.getConditioning();
        Signature.TensorDescription prev = sig.getInputs().get(PREVIOUS);
        if (conditioning.isEmpty()) {
            if (prev != null || sig.getInputs().size() != 1) {
                throw new IllegalArgumentException("signature '" + SIGNATURE + "' takes " + sig.inputNames()
                        + " but the ModelVersion names no conditioning: a single-frame model takes only '" + INPUT + "'");
            }
            return false;
        }
        if (!conditioning.equals(PREVIOUS_CROP)) {
            throw new IllegalArgumentException("conditioning '" + conditioning + "' is not one this transfer-stream renders (only '"
                    + PREVIOUS_CROP + "' or none)");
        }
        if (!personCrop) {
            throw new IllegalArgumentException("a '" + PREVIOUS_CROP + "' model must be a '" + PERSON_CROP + "' model");
        }
        if (prev == null || prev.dataType != DataType.DT_UINT8 || prev.shape.numDimensions() != 4 || prev.shape.size(1) != size
                || prev.shape.size(2) != size || prev.shape.size(3) != 3) {
            throw new IllegalArgumentException("a '" + PREVIOUS_CROP + "' model's signature must take '" + PREVIOUS
                    + "' uint8 [N," + size + "," + size + ",3], has " + (prev == null ? "none" : prev.dataType + " " + prev.shape));
        }
        return true;
    }

    public ModelVersion version() {
        return version;
    }

    /** A two-frame model: {@link #renderCrops(List, List)} wants each stream's previous render. */
    public boolean temporal() {
        return temporal;
    }

    /** "name:version", as written into Rendered.generator_version. */
    public String label() {
        return version.getName() + ":" + version.getVersion();
    }

    public int inputSize() {
        return size;
    }

    /** True for a person-crop model: render {@link #renderCrops} and blend over {@link #plate}. */
    public boolean personCrop() {
        return plate != null;
    }

    /**
     * Where the target stood in its training frames (plate pixels), for pose normalization; null
     * when the model does not say (trained before the trainer measured it).
     */
    public FramingStats targetFraming() {
        return version.hasTargetFraming() && version.getTargetFraming().getFrames() > 0
                ? FramingStats.fromProto(version.getTargetFraming()) : null;
    }

    /** The person-crop model's background plate (BGR, read-only, owned by the model), or null. */
    public Mat plate() {
        return plate;
    }

    /**
     * Renders person crops: class ids already at the model's S×S (see common's PersonCrop) into
     * BGR S×S images. The caller owns the returned Mats.
     */
    public List<Mat> renderCrops(List<Mat> crops) {
        return renderCrops(crops, null);
    }

    /**
     * As {@link #renderCrops(List)}; a two-frame model is conditioned on {@code previous}: per crop
     * its stream's previous render (BGR S×S, already re-projected into this crop; null = none, a
     * stream's first frame). A single-frame model ignores it. The caller owns the returned Mats.
     */
    public List<Mat> renderCrops(List<Mat> crops, List<Mat> previous) {
        int n = crops.size();
        int plane = size * size;
        byte[] prev = null;
        if (temporal) {
            prev = new byte[n * plane * 3];
            for (int i = 0; previous != null && i < n; i++) {
                Mat p = previous.get(i);
                if (p == null) {
                    continue; // zeros: no previous frame
                }
                if (p.cols() != size || p.rows() != size || p.type() != opencv_core.CV_8UC3) {
                    throw new IllegalArgumentException("previous render " + i + " must be 8-bit BGR " + size + "x" + size);
                }
                try (Mat rgb = new Mat()) {
                    cvtColor(p, rgb, COLOR_BGR2RGB);
                    rgb.data().get(prev, i * plane * 3, plane * 3);
                }
            }
        }
        byte[] in = new byte[n * plane];
        for (int i = 0; i < n; i++) {
            Mat c = crops.get(i);
            if (c.cols() != size || c.rows() != size || c.type() != opencv_core.CV_8UC1) {
                throw new IllegalArgumentException("crop " + i + " must be 8-bit " + size + "x" + size + ", is " + c.cols()
                        + "x" + c.rows());
            }
            try (Mat dense = c.clone()) {
                dense.data().get(in, i * plane, plane);
            }
        }
        byte[] out = infer(in, prev, n);
        List<Mat> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try (Mat rgbSmall = new Mat(size, size, opencv_core.CV_8UC3)) {
                rgbSmall.data().put(out, i * plane * 3, plane * 3);
                Mat bgr = new Mat();
                cvtColor(rgbSmall, bgr, COLOR_RGB2BGR);
                images.add(bgr);
            }
        }
        return images;
    }

    /**
     * Renders a batch of class maps (8-bit, one id per pixel, any size) into BGR images of the
     * same sizes. The caller owns the returned Mats.
     */
    public List<Mat> render(List<Mat> classMaps) {
        int n = classMaps.size();
        int plane = size * size;
        byte[] in = new byte[n * plane];
        try (Size square = new Size(size, size)) {
            for (int i = 0; i < n; i++) {
                try (Mat small = new Mat()) {
                    resize(classMaps.get(i), small, square, 0, 0, INTER_NEAREST);
                    small.data().get(in, i * plane, plane);
                }
            }
        }
        byte[] out = infer(in, null, n);
        List<Mat> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Mat cm = classMaps.get(i);
            try (Mat rgbSmall = new Mat(size, size, opencv_core.CV_8UC3); Mat bgrSmall = new Mat();
                 Size frame = new Size(cm.cols(), cm.rows())) {
                rgbSmall.data().put(out, i * plane * 3, plane * 3);
                cvtColor(rgbSmall, bgrSmall, COLOR_RGB2BGR);
                Mat full = new Mat();
                resize(bgrSmall, full, frame, 0, 0, INTER_LINEAR);
                images.add(full);
            }
        }
        return images;
    }

    /** One call of the serving signature: n S×S id planes (and previous RGB planes) in, n S×S×3 RGB planes out. */
    private byte[] infer(byte[] in, byte[] previous, int n) {
        int plane = size * size;
        byte[] out = new byte[n * plane * 3];
        try (TUint8 input = TUint8.tensorOf(Shape.of(n, size, size), DataBuffers.of(in, true, false));
             TUint8 prev = previous == null ? null : TUint8.tensorOf(Shape.of(n, size, size, 3), DataBuffers.of(previous, true, false));
             Result result = function.call(prev == null ? Map.of(INPUT, input) : Map.of(INPUT, input, PREVIOUS, prev))) {
            Tensor t = result.get(OUTPUT).orElseThrow(() -> new IllegalStateException("model returned no '" + OUTPUT + "'"));
            if (!(t instanceof TUint8 rgb) || rgb.shape().numDimensions() != 4 || rgb.shape().size(0) != n
                    || rgb.shape().size(1) != size || rgb.shape().size(2) != size || rgb.shape().size(3) != 3) {
                throw new IllegalStateException("model output must be uint8 [" + n + "," + size + "," + size + ",3], is "
                        + t.dataType() + " " + t.shape());
            }
            rgb.copyTo(DataBuffers.of(out, false, false));
        }
        return out;
    }

    /** Takes a reference; false if the model was already closed (the caller must pick another). */
    boolean retain() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Drops a reference; the last one closes the TensorFlow session. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            bundle.close();
            if (plate != null) {
                plate.close();
            }
        }
    }
}
