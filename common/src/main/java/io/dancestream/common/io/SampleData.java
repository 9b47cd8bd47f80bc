package io.dancestream.common.io;

/**
 * OpenCV's sample pictures and video of people (Debian package {@code opencv-doc}): the default
 * input of the demo and the benchmarks. Strings, so picocli defaults can name them.
 */
public final class SampleData {

    /** The folder. */
    public static final String DIR = "/usr/share/doc/opencv-doc/examples/data/";
    /** Pedestrians, 768x576, 10 fps, 795 frames. */
    public static final String VTEST = DIR + "vtest.avi";

    private SampleData() {
    }
}
