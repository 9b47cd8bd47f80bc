package io.dancestream.trainer.data;

import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.PersonCrop;
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
 * The decoded training corpus of one track: training samples at the jitter size, held-out
 * samples at the model size (the last 1/k of each stream in time: a random or every-k-th split
 * would leak near-duplicate neighbours into training), the held-out pairs' full frames and part
 * maps (the serving-path evaluation renders them whole), the mean training crop (a baseline),
 * the background plate, the target's framing statistics (pose normalization) and which track
 * it is. Cached as one binary file so epochs do not re-read Kafka.
 */
public final class PairDataset {

    private static final int MAGIC = 0x44534436; // "DSD6": the track, person crops and their boxes, the plate, the target's framing, held-out frames

    private final int size;
    private final List<Sample> train;
    private final List<Sample> heldout;
    private final byte[] meanFrame;
    private final TrainingTrack track;
    private final byte[] platePng;
    private final FramingStats framing;
    private final List<Frame> heldoutFrames;

    PairDataset(int size, List<Sample> train, List<Sample> heldout, byte[] meanFrame, TrainingTrack track) {
        this(size, train, heldout, meanFrame, track, null, FramingStats.NONE, List.of());
    }

    PairDataset(int size, List<Sample> train, List<Sample> heldout, byte[] meanFrame, TrainingTrack track,
                byte[] platePng, FramingStats framing, List<Frame> heldoutFrames) {
        this.size = size;
        this.framing = framing;
        this.train = train;
        this.heldout = heldout;
        this.meanFrame = meanFrame;
        this.track = track;
        this.platePng = platePng;
        this.heldoutFrames = heldoutFrames;
    }

    /** This dataset with the background plate of its training frames (PNG, BGR), or null for none. */
    PairDataset withPlate(byte[] png) {
        return new PairDataset(size, train, heldout, meanFrame, track, png, framing, heldoutFrames);
    }

    /** This dataset with the target's framing statistics over its training frames. */
    PairDataset withFraming(FramingStats f) {
        return new PairDataset(size, train, heldout, meanFrame, track, platePng, f, heldoutFrames);
    }

    /** A pair's full frame (JPEG) and part map (PNG), as recorded. */
    public record Frame(String streamId, long seq, long captureTimeUs, byte[] jpeg, byte[] classMapPng) {
    }

    /**
     * A pair decoded at both sizes: for training (jitter size) and for evaluation (model size),
     * and its full frame (null where not kept).
     */
    record Decoded(Sample forTraining, Sample forEval, Frame frame) {
        Decoded(Sample forTraining, Sample forEval) {
            this(forTraining, forEval, null);
        }
    }

    /**
     * Splits decoded pairs: the last ceil(n / {@code holdoutEvery}) of each stream's n pairs (by
     * seq, i.e. in time) are held out; the rest train.
     */
    static PairDataset split(List<Decoded> pairs, int size, int holdoutEvery, TrainingTrack track) {
        if (holdoutEvery < 2) {
            throw new IllegalArgumentException("--holdout-every must be at least 2, got " + holdoutEvery);
        }
        List<Decoded> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparing((Decoded d) -> d.forEval().streamId()).thenComparingLong(d -> d.forEval().seq()));
        List<Sample> train = new ArrayList<>();
        List<Sample> heldout = new ArrayList<>();
        List<Frame> frames = new ArrayList<>();
        java.util.Map<String, Integer> perStream = new java.util.HashMap<>();
        sorted.forEach(d -> perStream.merge(d.forEval().streamId(), 1, Integer::sum));
        long[] sum = new long[size * size * 3];
        int inStream = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Decoded d = sorted.get(i);
            String stream = d.forEval().streamId();
            inStream = i > 0 && sorted.get(i - 1).forEval().streamId().equals(stream) ? inStream + 1 : 0;
            int n = perStream.get(stream);
            if (inStream >= n - (n + holdoutEvery - 1) / holdoutEvery) {
                heldout.add(d.forEval());
                if (d.frame() != null) {
                    frames.add(d.frame());
                }
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
        return new PairDataset(size, train, heldout, mean, track, null, FramingStats.NONE, frames);
    }

    public int size() { return size; }
    public List<Sample> train() { return train; }
    public List<Sample> heldout() { return heldout; }
    /** Per-pixel mean of the training frames at the model size (RGB bytes). */
    public byte[] meanFrame() { return meanFrame; }
    /** The track these pairs belong to. */
    public TrainingTrack track() { return track; }
    /** The background plate at the frames' full size (PNG), or null when none was built. */
    public byte[] platePng() { return platePng; }
    /** Where and how tall the target stands in its training frames; {@link FramingStats#NONE} when unknown. */
    public FramingStats framing() { return framing; }
    /** Full frames and part maps of the held-out pairs, in the order of {@link #heldout()} (empty if not kept). */
    public List<Frame> heldoutFrames() { return heldoutFrames; }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".dataset-", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                out.writeInt(MAGIC);
                out.writeInt(size);
                out.writeUTF(track.streamId());
                out.writeUTF(track.trackId());
                out.writeInt(track.pairs());
                out.write(meanFrame);
                out.writeInt(platePng == null ? -1 : platePng.length);
                if (platePng != null) {
                    out.write(platePng);
                }
                byte[] framingProto = framing.toProto().toByteArray();
                out.writeInt(framingProto.length);
                out.write(framingProto);
                writeAll(out, train);
                writeAll(out, heldout);
                out.writeInt(heldoutFrames.size());
                for (Frame f : heldoutFrames) {
                    out.writeUTF(f.streamId());
                    out.writeLong(f.seq());
                    out.writeLong(f.captureTimeUs());
                    out.writeInt(f.jpeg().length);
                    out.write(f.jpeg());
                    out.writeInt(f.classMapPng().length);
                    out.write(f.classMapPng());
                }
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
            TrainingTrack track = new TrainingTrack(in.readUTF(), in.readUTF(), in.readInt());
            byte[] mean = in.readNBytes(size * size * 3);
            int plateLength = in.readInt();
            byte[] plate = plateLength < 0 ? null : in.readNBytes(plateLength);
            FramingStats framing = FramingStats.fromProto(
                    io.dancestream.common.proto.PersonFraming.parseFrom(in.readNBytes(in.readInt())));
            List<Sample> train = readAll(in);
            List<Sample> heldout = readAll(in);
            int nf = in.readInt();
            List<Frame> frames = new ArrayList<>(nf);
            for (int i = 0; i < nf; i++) {
                String stream = in.readUTF();
                long seq = in.readLong();
                long captureUs = in.readLong();
                byte[] jpeg = in.readNBytes(in.readInt());
                frames.add(new Frame(stream, seq, captureUs, jpeg, in.readNBytes(in.readInt())));
            }
            return new PairDataset(size, train, heldout, mean, track, plate, framing, frames);
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
            PersonCrop c = s.crop();
            out.writeBoolean(c != null);
            if (c != null) {
                out.writeInt(c.x());
                out.writeInt(c.y());
                out.writeInt(c.side());
            }
        }
    }

    private static List<Sample> readAll(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String stream = in.readUTF();
            long seq = in.readLong();
            int s = in.readInt();
            byte[] ids = in.readNBytes(s * s);
            byte[] rgb = in.readNBytes(s * s * 3);
            PersonCrop crop = in.readBoolean() ? new PersonCrop(in.readInt(), in.readInt(), in.readInt()) : null;
            out.add(new Sample(stream, seq, s, ids, rgb, crop));
        }
        return out;
    }
}
