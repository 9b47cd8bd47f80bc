package io.dancestream.bench.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import org.junit.jupiter.api.Test;

/** The benchmark readers take a record's seq without parsing the images. */
class BenchmarkSeqTest {

    @Test
    void seqOfSegmentationsAndPairsIncludingZero() {
        ByteString image = ByteString.copyFrom(new byte[5000]);
        assertThat(SegmentStreamBenchmark.seqOf(Segmentation.newBuilder().setStreamId("s").setSeq(399)
                .setClassMap(image).build().toByteArray())).isEqualTo(399);
        assertThat(SegmentStreamBenchmark.seqOf(TrainingPair.newBuilder().setStreamId("s").setSeq(7)
                .setFrameJpeg(image).setClassMap(image).build().toByteArray())).isEqualTo(7);
        // proto3 writes no field for seq 0: frame 0 must still be counted
        assertThat(SegmentStreamBenchmark.seqOf(Segmentation.newBuilder().setStreamId("s").setSeq(0)
                .setClassMap(image).build().toByteArray())).isZero();
        assertThat(SegmentStreamBenchmark.seqOf(new byte[] {(byte) 0xff, (byte) 0xff})).isEqualTo(-1);
    }
}
