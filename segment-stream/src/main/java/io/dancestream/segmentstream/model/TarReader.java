package io.dancestream.segmentstream.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal reader of ustar archives (what {@code npm pack} writes): regular files only, names
 * with the ustar prefix; enough to pick a few files out of an npm tarball without a dependency.
 */
final class TarReader {

    record Entry(String name, long size) {
    }

    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next regular-file entry, or null at the end of the archive. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        byte[] h = new byte[512];
        while (true) {
            if (in.readNBytes(h, 0, 512) < 512 || isZero(h)) {
                return null;
            }
            String name = str(h, 0, 100);
            String prefix = str(h, 345, 155);
            long size = Long.parseLong(str(h, 124, 12).trim().isEmpty() ? "0" : str(h, 124, 12).trim(), 8);
            byte type = h[156];
            long pad = (512 - size % 512) % 512;
            if (type == '0' || type == 0) {
                remaining = size;
                padding = pad;
                return new Entry(prefix.isEmpty() ? name : prefix + "/" + name, size);
            }
            skipFully(size + pad);
        }
    }

    /** The current entry's bytes (read it before calling next()). */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    remaining--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n > 0) {
                    remaining -= n;
                }
                return n;
            }
        };
    }

    private void skipFully(long n) throws IOException {
        in.skipNBytes(n);
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.US_ASCII);
    }
}
