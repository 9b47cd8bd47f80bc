package io.dancestream.trainer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The decoded training corpus: training samples at the jitter size, held-out samples at the
 * model size (every k-th pair in (stream, seq) order), and the mean training frame (the
 * baseline a model must beat). Cached as one binary file so epochs do not re-read Kafka.
 */
public final class PairDataset {

    private static final int MAGIC = 0x44534432; // "DSD2": person crops and the plate

    private final int size;
    private final List<Sample> train;
    private final List<Sample> heldout;
    private final byte[] meanFrame;
    private final byte[] platePng;

    PairDataset(int size, List<Sample> train, List<Sample> heldout, byte[] meanFrame) {
        this(size, train, heldout, meanFrame, null);
    }

    PairDataset(int size, List<Sample> train, List<Sample> heldout, byte[] meanFrame, byte[] platePng) {
        this.size = size;
        this.train = train;
        this.heldout = heldout;
        this.meanFrame = meanFrame;
        this.platePng = platePng;
    }

    /** This dataset with the background plate of its frames (PNG, BGR), or null for none. */
    PairDataset withPlate(byte[] png) {
        return new PairDataset(size, train, heldout, meanFrame, png);
    }

    /** A pair decoded at both sizes: for training (jitter size) and for evaluation (model size). */
    record Decoded(Sample forTraining, Sample forEval) {
    }

    /**
     * Splits decoded pairs: every {@code holdoutEvery}-th (1-based, in stream then seq order)
     * is held out; the rest train.
     */
    static PairDataset split(List<Decoded> pairs, int size, int holdoutEvery) {
        if (holdoutEvery < 2) {
            throw new IllegalArgumentException("--holdout-every must be at least 2, got " + holdoutEvery);
        }
        List<Decoded> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparing((Decoded d) -> d.forEval().streamId()).thenComparingLong(d -> d.forEval().seq()));
        List<Sample> train = new ArrayList<>();
        List<Sample> heldout = new ArrayList<>();
        long[] sum = new long[size * size * 3];
        for (int i = 0; i < sorted.size(); i++) {
            Decoded d = sorted.get(i);
            if (i % holdoutEvery == holdoutEvery - 1) {
                heldout.add(d.forEval());
            } else {
                train.add(d.forTraining());
                byte[] rgb = d.forEval().rgb();
                for (int p = 0; p < rgb.length; p++) {
                    sum[p] += rgb[p] & 0xff;
                }
            }
        }
        if (train.isEmpty() || heldout.isEmpty()) {
            throw new IllegalStateException("need at least " + holdoutEvery + " training pairs to hold some out, found "
                    + sorted.size());
        }
        byte[] mean = new byte[sum.length];
        for (int p = 0; p < sum.length; p++) {
            mean[p] = (byte) Math.round((double) sum[p] / train.size());
        }
        return new PairDataset(size, train, heldout, mean);
    }

    public int size() { return size; }
    public List<Sample> train() { return train; }
    public List<Sample> heldout() { return heldout; }
    /** Per-pixel mean of the training frames at the model size (RGB bytes). */
    public byte[] meanFrame() { return meanFrame; }
    /** The background plate at the frames' full size (PNG), or null when none was built. */
    public byte[] platePng() { return platePng; }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".dataset-", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                out.writeInt(MAGIC);
                out.writeInt(size);
                out.write(meanFrame);
                out.writeInt(platePng == null ? -1 : platePng.length);
                if (platePng != null) {
                    out.write(platePng);
                }
                writeAll(out, train);
                writeAll(out, heldout);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dataset cache " + file + ": " + e.getMessage(), e);
        }
    }

    static PairDataset read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a dancestream dataset cache");
            }
            int size = in.readInt();
            byte[] mean = in.readNBytes(size * size * 3);
            int plateLength = in.readInt();
            byte[] plate = plateLength < 0 ? null : in.readNBytes(plateLength);
            return new PairDataset(size, readAll(in), readAll(in), mean, plate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeAll(DataOutputStream out, List<Sample> samples) throws IOException {
        out.writeInt(samples.size());
        for (Sample s : samples) {
            out.writeUTF(s.streamId());
            out.writeLong(s.seq());
            out.writeInt(s.size());
            out.write(s.classIds());
            out.write(s.rgb());
        }
    }

    private static List<Sample> readAll(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String stream = in.readUTF();
            long seq = in.readLong();
            int s = in.readInt();
            out.add(new Sample(stream, seq, s, in.readNBytes(s * s), in.readNBytes(s * s * 3)));
        }
        return out;
    }
}
