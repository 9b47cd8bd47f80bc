package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.BodyPart;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class TopicFollowerTest {

    @Test
    void partMapIsColouredWithTheBodyPixPalette() {
        long seq = 12; // block of id 13 = torso_front at x = 60..109, y = 10..109
        PanelImage img = TopicFollower.parts(TestImages.segmentation("s", seq, 1_000));
        assertThat(img.contentType()).isEqualTo("image/png");
        assertThat(img.seq()).isEqualTo(seq);
        try (Mat bgr = ImageCodec.decodeColor(img.bytes()); UByteIndexer px = bgr.createIndexer()) {
            assertThat(bgr.cols()).isEqualTo(TestImages.W);
            BodyPart torso = BodyPart.ofId(13);
            assertThat(torso).isEqualTo(BodyPart.TORSO_FRONT);
            assertThat(new int[] {px.get(50, 80, 2), px.get(50, 80, 1), px.get(50, 80, 0)})
                    .containsExactly(175, 240, 91);
            // background is BodyPix white
            assertThat(new int[] {px.get(5, 5, 2), px.get(5, 5, 1), px.get(5, 5, 0)}).containsExactly(255, 255, 255);
        }
    }

    @Test
    void aClassMapThatIsNotAnImageIsRefusedWithAReason() {
        var bad = TestImages.segmentation("s", 1, 1).toBuilder()
                .setClassMap(ByteString.copyFromUtf8("definitely not a png")).build();
        assertThatThrownBy(() -> TopicFollower.parts(bad))
                .isInstanceOf(PanelImage.BadImageException.class).hasMessageContaining("class_map");
    }

    @Test
    void aColourImageIsNotAClassMap() {
        var colour = TestImages.segmentation("s", 1, 1).toBuilder()
                .setClassMap(ByteString.copyFrom(TestImages.jpeg(1, 0))).build();
        assertThatThrownBy(() -> TopicFollower.parts(colour))
                .isInstanceOf(PanelImage.BadImageException.class).hasMessageContaining("8-bit single-channel");
    }

    @Test
    void aColourPngIsNotAClassMapEither() {
        var colourPng = TestImages.segmentation("s", 1, 1).toBuilder()
                .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(ImageCodec.decodeColor(TestImages.jpeg(1, 0)))))
                .build();
        assertThatThrownBy(() -> TopicFollower.parts(colourPng))
                .isInstanceOf(PanelImage.BadImageException.class).hasMessageContaining("colour type 2");
    }

    @Test
    void colouringWaitsUntilTheImageIsAskedFor() {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.classMap(2), 40);
        var seg = TestImages.segmentation("s", 2, 1).toBuilder().setClassMap(ByteString.copyFrom(truncated)).build();
        PanelImage img = TopicFollower.parts(seg); // the header is fine: accepted for now
        assertThat(img.seq()).isEqualTo(2);
        assertThatThrownBy(img::bytes).isInstanceOf(PanelImage.BadImageException.class).hasMessageContaining("class_map");
    }

    @Test
    void framesAndRendersPassThroughButMustBeJpegs() {
        var f = TestImages.frame("s", 3, 5);
        assertThat(TopicFollower.source(f).bytes()).isEqualTo(f.getJpeg().toByteArray());
        assertThat(TopicFollower.render(TestImages.rendered("s", 3, 5)).label()).isEqualTo("generator v7");
        var png = f.toBuilder().setJpeg(ByteString.copyFrom(TestImages.classMap(1))).build();
        assertThatThrownBy(() -> TopicFollower.source(png)).hasMessageContaining("not a JPEG");
    }
}
