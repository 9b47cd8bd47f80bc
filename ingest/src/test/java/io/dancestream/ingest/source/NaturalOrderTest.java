package io.dancestream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image folder files sort by the numbers in their names. */
class NaturalOrderTest {

    @Test
    void namesSortNaturally() {
        List<String> names = new ArrayList<>(List.of("f10.png", "f2.png", "f1.png", "f002b.png", "a.png", "f100.png"));
        names.sort(NaturalOrder::compare);
        assertThat(names).containsExactly("a.png", "f1.png", "f2.png", "f002b.png", "f10.png", "f100.png");
    }
}
