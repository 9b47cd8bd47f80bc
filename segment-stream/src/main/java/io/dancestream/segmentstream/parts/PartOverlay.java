package io.dancestream.segmentstream.parts;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.line;

import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Landmark;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Pictures for people: part colours (BodyPix palette) over the frame, plus the skeleton. */
public final class PartOverlay {

    /** BlazePose's skeleton edges (landmark index pairs). */
    private static final int[][] EDGES = {
        {11, 12}, {11, 13}, {13, 15}, {12, 14}, {14, 16}, {11, 23}, {12, 24}, {23, 24}, {23, 25}, {25, 27},
        {24, 26}, {26, 28}, {27, 29}, {29, 31}, {27, 31}, {28, 30}, {30, 32}, {28, 32}, {15, 17}, {15, 19},
        {17, 19}, {16, 18}, {16, 20}, {18, 20}, {0, 2}, {0, 5}, {2, 7}, {5, 8}, {9, 10},
    };

    private PartOverlay() {
    }

    /** Class map in colour: BodyPix's palette, face details in theirs, background white. */
    public static Mat colorize(Mat classMap) {
        Mat out = PartSchema.colorize(classMap);
        try (UByteIndexer in = classMap.createIndexer(); UByteIndexer o = out.createIndexer()) {
            for (int y = 0; y < classMap.rows(); y++) {
                for (int x = 0; x < classMap.cols(); x++) {
                    int id = in.get(y, x);
                    if (id >= FaceDetail.LEFT_EYE.id() && id < FaceDetail.SCHEMA_COUNT) {
                        int rgb = FaceDetail.values()[id - FaceDetail.LEFT_EYE.id()].rgb();
                        o.put(y, x, 0, rgb & 0xff);
                        o.put(y, x, 1, (rgb >> 8) & 0xff);
                        o.put(y, x, 2, (rgb >> 16) & 0xff);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The frame with the part colours blended over the person and the skeleton drawn on top.
     *
     * @param colours {@link #colorize}{@code (classMap)}, which the caller usually writes as well
     */
    public static Mat render(Mat bgr, Mat classMap, Mat colours, List<Landmark> landmarks) {
        Mat out = bgr.clone();
        try (Mat blended = new Mat(); Mat zero = new Mat(1, 1, classMap.type(), new Scalar(0)); Mat person = new Mat()) {
            addWeighted(bgr, 0.35, colours, 0.65, 0, blended);
            org.bytedeco.opencv.global.opencv_core.compare(classMap, zero, person,
                    org.bytedeco.opencv.global.opencv_core.CMP_GT);
            blended.copyTo(out, person);
        }
        if (!landmarks.isEmpty()) {
            // line width from the person's size, so a distant pedestrian is not buried under dots
            float top = Float.MAX_VALUE;
            float bottom = -Float.MAX_VALUE;
            for (Landmark l : landmarks) {
                top = Math.min(top, l.getY());
                bottom = Math.max(bottom, l.getY());
            }
            int thick = Math.max(1, Math.round((bottom - top) / 150f));
            for (int[] e : EDGES) {
                Landmark a = landmarks.get(e[0]);
                Landmark b = landmarks.get(e[1]);
                if (a.getVisibility() > 0.5f && b.getVisibility() > 0.5f) {
                    line(out, point(a), point(b), new Scalar(40, 40, 40, 0), thick, LINE_AA, 0);
                }
            }
            for (int i = 0; i < 33; i++) {
                Landmark l = landmarks.get(i);
                if (l.getVisibility() > 0.5f) {
                    // person's left in red, right in blue, centre in green (BGR)
                    Scalar c = i == 0 ? new Scalar(0, 200, 0, 0) : (i % 2 == 1 ? new Scalar(0, 0, 230, 0) : new Scalar(230, 0, 0, 0));
                    circle(out, point(l), thick + 1, c, -1, LINE_AA, 0);
                }
            }
        }
        return out;
    }

    private static Point point(Landmark l) {
        return new Point(Math.round(l.getX()), Math.round(l.getY()));
    }
}
