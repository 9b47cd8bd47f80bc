package io.dancestream.trainer.data;

import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.TrackIds;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counts the pairs of each track among the chosen streams' pairs and picks the one to train on:
 * the requested id, else the longest track (most pairs; ties to the earliest start). Pairs
 * without a track id in a stream that has tracks are frames without a person and are left out;
 * they count as one unknown track only when no chosen stream has any track id at all, so records
 * written before track ids existed still train.
 */
final class TrackCensus {

    private final Map<Key, long[]> tracks = new LinkedHashMap<>(); // [pairs, first seq]

    private record Key(String streamId, String trackId) {
    }

    void add(TrainingPair p) {
        long[] c = tracks.computeIfAbsent(new Key(p.getStreamId(), p.getTrackId()), k -> new long[] {0, Long.MAX_VALUE});
        c[0]++;
        c[1] = Math.min(c[1], p.getSeq());
    }

    /**
     * The track to train on.
     *
     * @param requested a track id, or null for the longest
     * @throws IllegalArgumentException when {@code requested} is not among the pairs, naming the
     *                                  tracks that are
     * @throws IllegalStateException    when there are no pairs at all
     */
    TrainingTrack choose(String requested, String where) {
        List<Map.Entry<Key, long[]>> known = tracks.entrySet().stream()
                .filter(e -> TrackIds.isTrack(e.getKey().trackId())).sorted(LONGEST_FIRST).toList();
        if (requested != null) {
            return known.stream().filter(e -> e.getKey().trackId().equals(requested)).findFirst().map(TrackCensus::track)
                    .orElseThrow(() -> new IllegalArgumentException("no track '" + requested + "' among the pairs of "
                            + where + (known.isEmpty() ? "; their pairs carry no track ids"
                            : "; the longest tracks: " + list(known))));
        }
        if (!known.isEmpty()) {
            return track(known.get(0));
        }
        return tracks.entrySet().stream().sorted(LONGEST_FIRST).findFirst().map(TrackCensus::track)
                .orElseThrow(() -> new IllegalStateException("no training pairs in " + where
                        + "; record some with 'dance ingest SOURCE --train' first"));
    }

    /** For the log: how many pairs and tracks there are, and how many pairs carry no track id. */
    String summary() {
        long all = tracks.values().stream().mapToLong(c -> c[0]).sum();
        long untracked = tracks.entrySet().stream().filter(e -> !TrackIds.isTrack(e.getKey().trackId()))
                .mapToLong(e -> e.getValue()[0]).sum();
        long known = tracks.keySet().stream().filter(k -> TrackIds.isTrack(k.trackId())).count();
        return all + " pairs: " + known + " tracks, " + untracked + " pairs without a track id";
    }

    private static final Comparator<Map.Entry<Key, long[]>> LONGEST_FIRST =
            Comparator.comparingLong((Map.Entry<Key, long[]> e) -> -e.getValue()[0])
                    .thenComparingLong(e -> e.getValue()[1])
                    .thenComparing(e -> e.getKey().streamId())
                    .thenComparing(e -> e.getKey().trackId());

    private static TrainingTrack track(Map.Entry<Key, long[]> e) {
        return new TrainingTrack(e.getKey().streamId(), e.getKey().trackId(), (int) e.getValue()[0]);
    }

    private static String list(List<Map.Entry<Key, long[]>> known) {
        String shown = known.stream().limit(10).map(e -> e.getKey().trackId() + " (" + e.getValue()[0] + " pairs)")
                .collect(Collectors.joining(", "));
        return known.size() > 10 ? shown + " and " + (known.size() - 10) + " more" : shown;
    }
}
