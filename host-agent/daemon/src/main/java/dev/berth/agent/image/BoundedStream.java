package dev.berth.agent.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails once more than a set number of bytes was read: bounds a decompression bomb's tar stream. */
final class BoundedStream extends FilterInputStream {
    private final long max;
    private long count;

    BoundedStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) counted(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) counted(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        if (s > 0) counted(s);
        return s;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    private void counted(long n) throws LayerRejected {
        count += n;
        if (count > max) throw new LayerRejected("layer stream", "uncompressed layer exceeds " + max + " bytes");
    }
}
