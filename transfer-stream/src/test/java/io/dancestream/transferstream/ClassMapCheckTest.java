package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.Segmentation;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** A class map must only hold ids of its schema: the generator's one-hot input has no others. */
class ClassMapCheckTest {

    private static Segmentation seg(int id, String schema) {
        try (Mat m = new Mat(4, 6, opencv_core.CV_8UC1, new Scalar(id))) {
            return Segmentation.newBuilder().setStreamId("s").setSeq(3).setWidth(6).setHeight(4).setSchema(schema)
                    .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(m))).build();
        }
    }

    @Test
    void idsOfTheSchemaPassAndLargerOnesAreRefused() {
        try (Mat ok = FrameRenderer.decodeClassMap(seg(24, "bodypix24"))) {
            assertThat(ok.cols()).isEqualTo(6);
        }
        try (Mat detailed = FrameRenderer.decodeClassMap(seg(30, "detailed"))) {
            assertThat(detailed.rows()).isEqualTo(4);
        }
        assertThatThrownBy(() -> FrameRenderer.decodeClassMap(seg(200, "")))
                .hasMessageContaining("holds class id 200, above the 24 of schema 'bodypix24'");
        assertThatThrownBy(() -> FrameRenderer.decodeClassMap(seg(31, "detailed")))
                .hasMessageContaining("class id 31");
    }
}
