package io.dancestream.segmentstream.pose;

import io.dancestream.common.records.TrackIds;

/**
 * Names the continuous tracks of one stream, fed the tracker's verdict on each frame: a person
 * followed from the previous frame's ROI stays on the current track; a person the detector
 * (re-)acquired starts a new track, named by the stream and this frame's seq
 * ({@link TrackIds#of}); no person ends the track. The detector may pick someone else after a
 * loss, so a re-acquisition is never assumed to be the same person.
 */
final class TrackAssigner {

    private final String streamId;
    private String current = TrackIds.NONE;

    TrackAssigner(String streamId) {
        this.streamId = streamId;
    }

    /** The person was followed from the previous frame: same track. */
    String followed(long seq) {
        if (!TrackIds.isTrack(current)) {
            // following needs an earlier frame with a person; without one this is an acquisition
            return acquired(seq);
        }
        return current;
    }

    /** The detector found the person on frame {@code seq}: a new track starts here. */
    String acquired(long seq) {
        current = TrackIds.of(streamId, seq);
        return current;
    }

    /** Nobody on this frame: the track ended. */
    String nobody() {
        current = TrackIds.NONE;
        return current;
    }
}
