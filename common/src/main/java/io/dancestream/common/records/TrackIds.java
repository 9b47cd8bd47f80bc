package io.dancestream.common.records;

/**
 * The {@code track_id} of Segmentation and TrainingPair: one continuous track of one person in
 * one stream, from the frame where the detector acquired them until they are lost.
 *
 * <p>An id is {@code <stream id>#<seq>}, the seq of the track's first frame. It is derived from
 * the frame rather than counted, so a segment-stream that re-processes the same frames after a
 * restart gives them the same id (a counter would start again at 1), and it is unique over the
 * stream's life because seqs are. Frames without a person carry {@link #NONE}, as do captured
 * masks (no tracker) and records written before track ids existed.
 */
public final class TrackIds {

    /** No track: no person in the frame, a captured mask, or an older record. */
    public static final String NONE = "";

    private TrackIds() {
    }

    /** The id of the track of {@code streamId} that starts at frame {@code startSeq}. */
    public static String of(String streamId, long startSeq) {
        return streamId + "#" + startSeq;
    }

    /** Whether {@code trackId} names a track (and is not {@link #NONE}). */
    public static boolean isTrack(String trackId) {
        return trackId != null && !trackId.isEmpty();
    }
}
