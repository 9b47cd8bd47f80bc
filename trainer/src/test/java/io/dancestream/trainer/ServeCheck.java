package io.dancestream.trainer;

import io.dancestream.common.records.GeneratorSignature;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

/**
 * Run in a fresh JVM by the IT: loads an exported model as the renderer would (SavedModel,
 * serving signature) and prints the output shape and mean value for a class map with a figure.
 */
public final class ServeCheck {

    public static void main(String[] args) {
        String dir = args[0];
        int size = Integer.parseInt(args[1]);
        byte[] ids = new byte[size * size];
        for (int y = size / 4; y < 3 * size / 4; y++) {
            for (int x = size / 3; x < 2 * size / 3; x++) {
                ids[y * size + x] = (byte) (y < size / 2 ? 1 : 13);
            }
        }
        try (SavedModelBundle m = SavedModelBundle.load(dir);
             TUint8 in = TUint8.tensorOf(Shape.of(1, size, size), DataBuffers.of(ids, true, false));
             Result r = m.function(GeneratorSignature.SIGNATURE).call(Map.of(GeneratorSignature.INPUT, in))) {
            TUint8 out = (TUint8) r.get(GeneratorSignature.OUTPUT).orElseThrow();
            byte[] rgb = new byte[(int) out.shape().size()];
            out.asRawTensor().data().read(rgb);
            long sum = 0;
            for (byte b : rgb) {
                sum += b & 0xff;
            }
            long[] s = out.shape().asArray();
            System.out.println("SERVE-CHECK shape=" + s[0] + "x" + s[1] + "x" + s[2] + "x" + s[3] + " mean=" + (sum / rgb.length));
        }
    }
}
