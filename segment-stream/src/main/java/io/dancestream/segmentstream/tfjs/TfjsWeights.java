package io.dancestream.segmentstream.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Decodes one entry of a TF.js weights manifest from the concatenated shard bytes into a
 * TensorFlow {@link TensorProto}, undoing TF.js weight quantization: float16 is widened
 * exactly; uint8/uint16 affine quantization is {@code min + scale * q} as TF.js does it.
 */
final class TfjsWeights {

    private TfjsWeights() {
    }

    /** Result of decoding one weight: the tensor and how many shard bytes it used. */
    record Decoded(TensorProto tensor, int bytesUsed) {
    }

    static Decoded decode(JsonNode spec, ByteBuffer shards, int offset) {
        String name = spec.path("name").asText();
        String dtype = spec.path("dtype").asText();
        long count = 1;
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (JsonNode d : spec.path("shape")) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d.asLong()));
            count *= d.asLong();
        }
        int n = Math.toIntExact(count);
        JsonNode q = spec.get("quantization");
        String stored = q == null ? dtype : q.path("dtype").asText();
        ByteBuffer src = shards.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        src.position(offset);
        ByteBuffer out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        int used;
        DataType type;
        switch (dtype) {
            case "float32" -> type = DataType.DT_FLOAT;
            case "int32" -> type = DataType.DT_INT32;
            default -> throw new TfjsImportException("weight " + name + " has dtype " + dtype + ", which the importer does not support");
        }
        switch (stored) {
            case "float32", "int32" -> {
                used = n * 4;
                for (int i = 0; i < n; i++) {
                    out.putInt(src.getInt());
                }
            }
            case "float16" -> {
                used = n * 2;
                for (int i = 0; i < n; i++) {
                    out.putFloat(halfToFloat(src.getShort()));
                }
            }
            case "uint8", "uint16" -> {
                boolean eight = stored.equals("uint8");
                used = n * (eight ? 1 : 2);
                float min = (float) q.path("min").asDouble();
                float scale = (float) q.path("scale").asDouble();
                for (int i = 0; i < n; i++) {
                    int v = eight ? (src.get() & 0xff) : (src.getShort() & 0xffff);
                    float f = min + scale * v;
                    if (type == DataType.DT_INT32) {
                        out.putInt(Math.round(f));
                    } else {
                        out.putFloat(f);
                    }
                }
            }
            default -> throw new TfjsImportException("weight " + name + " uses quantization " + stored + ", which the importer does not support");
        }
        out.flip();
        TensorProto t = TensorProto.newBuilder().setDtype(type).setTensorShape(shape)
                .setTensorContent(ByteString.copyFrom(out)).build();
        return new Decoded(t, used);
    }

    /** IEEE 754 binary16 to binary32, exact (subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value = mant * 2^-24, exactly representable in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
