package io.dancestream.ingest.source;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.records.Timings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of images played as a video at a given frame rate, in natural name order
 * ({@code f2.png} before {@code f10.png}). With a mask folder (or the paired-capture layout
 * {@code DIR/frames/} + {@code DIR/masks/}) each frame carries the mask with the same file
 * stem: the BodyPix colour masks captured alongside the frames.
 */
public final class ImageFolderSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");
    public static final double DEFAULT_FPS = 30;

    private final Path folder;
    private final Path masksFolder;
    private final double fps;
    private List<Path> frames;
    private Map<String, Path> masks = Map.of();
    private int next;
    private int unreadable;
    private int withoutMask;

    /**
     * @param masksFolder the masks, or null: then {@code folder/masks} is used when
     *                    {@code folder/frames} and {@code folder/masks} both exist
     */
    public ImageFolderSource(Path folder, Path masksFolder, double fps) {
        boolean paired = masksFolder == null && Files.isDirectory(folder.resolve("frames"))
                && Files.isDirectory(folder.resolve("masks"));
        this.folder = paired ? folder.resolve("frames") : folder;
        this.masksFolder = paired ? folder.resolve("masks") : masksFolder;
        this.fps = fps > 0 ? fps : DEFAULT_FPS;
    }

    @Override
    public void open() {
        if (!Files.isDirectory(folder)) {
            throw new SourceException("image folder " + folder + " does not exist: check the path");
        }
        frames = images(folder);
        if (frames.isEmpty()) {
            throw new SourceException("image folder " + folder + " holds no images (" + String.join(", ",
                    EXTENSIONS.stream().sorted().toList()) + "): check the path");
        }
        if (masksFolder != null) {
            if (!Files.isDirectory(masksFolder)) {
                throw new SourceException("mask folder " + masksFolder + " does not exist: check --masks");
            }
            masks = new HashMap<>();
            for (Path m : images(masksFolder)) {
                masks.put(stem(m), m);
            }
            if (masks.isEmpty()) {
                throw new SourceException("mask folder " + masksFolder + " holds no images: check --masks");
            }
        }
    }

    static List<Path> images(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.contains(extension(p)))
                    .sorted((a, b) -> NaturalOrder.compare(a.getFileName().toString(), b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CapturedFrame next() {
        while (next < frames.size()) {
            int index = next++;
            Path file = frames.get(index);
            Mat image;
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
                image = ImageCodec.decodeColor(bytes);
            } catch (IOException | ImageCodec.ImageDecodeException e) {
                // one bad file in a capture folder should not end the ingest: skip it, loudly
                LOG.warn("skipping {}: not a readable image ({})", file, e.getMessage());
                unreadable++;
                continue;
            }
            boolean jpeg = bytes.length > 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8;
            long mediaUs = Math.round(index * 1_000_000.0 / fps);
            return new CapturedFrame(image, true, jpeg ? bytes : null, mediaUs, Timings.nowMicros(), mask(file));
        }
        return null;
    }

    private CapturedFrame.Mask mask(Path frame) {
        if (masksFolder == null) {
            return null;
        }
        Path m = masks.get(stem(frame));
        if (m == null) {
            withoutMask++;
            LOG.warn("no mask for {} in {}", frame.getFileName(), masksFolder);
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(m);
            return new CapturedFrame.Mask(ImageCodec.decodeColor(bytes), bytes, "file:" + m.toAbsolutePath());
        } catch (IOException | ImageCodec.ImageDecodeException e) {
            withoutMask++;
            LOG.warn("skipping mask {}: not a readable image ({})", m, e.getMessage());
            return null;
        }
    }

    int framesWithoutMask() {
        return withoutMask;
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public long estimatedFrames() {
        return frames == null ? -1 : frames.size();
    }

    @Override
    public void rewind() {
        next = 0;
    }

    @Override
    public int unreadable() {
        return unreadable;
    }

    @Override
    public String description() {
        return "folder:" + folder.toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        // nothing held between frames
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
