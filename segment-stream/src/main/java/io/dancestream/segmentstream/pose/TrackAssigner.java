package io.dancestream.segmentstream.pose;

import io.dancestream.common.records.TrackIds;

/**
 * Names the continuous tracks of one stream, fed the tracker's verdict on each frame: a person
 * followed from the previous frame's ROI stays on the current track; a person the detector
 * (re-)acquired starts a new track, named by the stream and this frame's seq
 * ({@link TrackIds#of}); no person ends the track. The detector may pick someone else after a
 * loss, so a re-acquisition is never assumed to be the same person. Nor is a "followed" person
 * whose body centre {@linkplain #jumped jumped}: the landmark model then answered with another
 * person near the ROI (vtest.avi frame 373: 219 px in one frame, where pedestrians move about 5).
 */
final class TrackAssigner {

    /**
     * Largest move of the body centre between two frames of one track, as a share of the ROI
     * side (about 1.25 body heights): 0.5 is far beyond a dancer's hip at 30 fps or a
     * pedestrian at 10 fps (about 0.05), and far below a jump to another person.
     */
    static final double MAX_STEP = 0.5;

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

    /**
     * Whether the ROI made from this frame's landmarks is too far from the one they were
     * estimated in (the previous frame's) for one person's step: then a new track starts.
     */
    static boolean jumped(Roi previous, Roi next) {
        return Math.hypot(next.cx() - previous.cx(), next.cy() - previous.cy()) > MAX_STEP * previous.size();
    }

    /** The detector found the person on frame {@code seq} (or they jumped): a new track starts here. */
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
