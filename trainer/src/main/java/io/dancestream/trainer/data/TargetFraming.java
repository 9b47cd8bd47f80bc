package io.dancestream.trainer.data;

import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.PersonBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The target's pose normalization statistics ({@link FramingStats}) from its training frames:
 * every decoded pair's person box, by "stream/seq" key, in the order read. Built over the frames
 * the model trains on, like the plate, and shipped in the ModelVersion so transfer-stream can map
 * any source into the framing this target was filmed in.
 */
final class TargetFraming {

    private final Map<String, PersonBox> boxes = new LinkedHashMap<>();

    void add(String key, PersonBox box) {
        boxes.put(key, box);
    }

    int frames() {
        return boxes.size();
    }

    /** The statistics of the frames whose key passes {@code include}; empty when none does. */
    FramingStats build(Predicate<String> include) {
        List<PersonBox> kept = new ArrayList<>(boxes.size());
        boxes.forEach((k, b) -> {
            if (include.test(k)) {
                kept.add(b);
            }
        });
        return FramingStats.of(kept);
    }
}
