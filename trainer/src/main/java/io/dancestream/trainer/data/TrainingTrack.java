package io.dancestream.trainer.data;

import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.TrackIds;

/**
 * The one track a run trains on: a person's continuous track ({@code track_id}), or, for a
 * stream whose pairs carry no track id at all (records older than track ids, captured masks),
 * all of that stream's pairs as one unknown track.
 *
 * @param streamId the stream the track belongs to
 * @param trackId  the track id; {@link TrackIds#NONE} for the unknown track
 * @param pairs    how many pairs it has
 */
public record TrainingTrack(String streamId, String trackId, int pairs) {

    /** Whether the pairs carry a real track id (false: the stream's unknown track). */
    public boolean known() {
        return TrackIds.isTrack(trackId);
    }

    boolean includes(TrainingPair p) {
        return p.getStreamId().equals(streamId) && p.getTrackId().equals(trackId);
    }

    TrainingTrack withPairs(int n) {
        return new TrainingTrack(streamId, trackId, n);
    }

    /** For logs and summaries, e.g. "track target#12 (143 pairs)". */
    public String describe() {
        return known() ? "track " + trackId + " (" + pairs + " pairs)"
                : "stream " + streamId + " as one unknown track (" + pairs + " pairs without a track id: recorded"
                        + " before track ids existed, or captured masks)";
    }
}
