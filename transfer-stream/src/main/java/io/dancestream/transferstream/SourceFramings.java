package io.dancestream.transferstream;

import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.PersonBox;
import io.dancestream.common.proto.SourceFraming;

/**
 * The source statistics of every stream for pose normalization: gathered over the first
 * {@code firstFrames} person frames of the stream's current track, then fixed, so a long dance
 * is placed steadily rather than re-framed as the dancer wanders. A new track (another
 * {@code track_id}: the detector lost the person and found someone, or the same one, again)
 * starts them over; a new generator does not, the source is the same. Kept in a {@link Store}
 * (transfer-stream's changelogged state store), so a restart continues where it left off.
 */
final class SourceFramings {

    /** Where the statistics live, by stream id. */
    interface Store {
        SourceFraming get(String streamId);

        void put(String streamId, SourceFraming framing);
    }

    private final int firstFrames;
    private final Store store;

    SourceFramings(int firstFrames, Store store) {
        if (firstFrames < 1) {
            throw new IllegalArgumentException("pose normalization needs at least 1 frame, got " + firstFrames);
        }
        this.firstFrames = firstFrames;
        this.store = store;
    }

    /**
     * Takes one frame's person box into its stream's statistics (while fewer than
     * {@code firstFrames} were seen on this track) and returns the statistics so far, this frame
     * included.
     */
    FramingStats observe(String streamId, String trackId, PersonBox box) {
        SourceFraming stored = store.get(streamId);
        FramingStats stats = stored == null || !stored.getTrackId().equals(trackId) ? FramingStats.NONE
                : FramingStats.fromProto(stored.getStats());
        if (stats.frames() >= firstFrames) {
            return stats;
        }
        stats = stats.observe(box);
        store.put(streamId, SourceFraming.newBuilder().setTrackId(trackId).setStats(stats.toProto()).build());
        return stats;
    }
}
