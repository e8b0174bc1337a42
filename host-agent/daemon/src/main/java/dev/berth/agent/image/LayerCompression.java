package dev.berth.agent.image;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** How a layer blob is compressed, from its media type, falling back to magic bytes. */
public enum LayerCompression {
    NONE, GZIP, ZSTD;

    private static final int INFLATE_BUFFER = 1 << 16;

    /**
     * The compression a media type names; when it names none we know (null, unknown, or a plain
     * {@code application/octet-stream}), the first bytes of the blob decide.
     */
    public static LayerCompression of(String mediaType, byte[] head) {
        if (mediaType != null) {
            String t = mediaType.strip().toLowerCase(java.util.Locale.ROOT);
            if (t.endsWith("+gzip") || t.endsWith(".tar.gzip") || t.endsWith(".tar.gz")) return GZIP;
            if (t.endsWith("+zstd") || t.endsWith(".tar.zstd")) return ZSTD;
            if (t.endsWith(".tar") || t.endsWith("+tar") || t.endsWith("/x-tar")) return NONE;
        }
        return fromMagic(head);
    }

    static LayerCompression fromMagic(byte[] head) {
        if (head == null) return NONE;
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return GZIP;
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) return ZSTD;
        return NONE;
    }

    /** The decompressed view of a blob stream (which should be buffered). */
    InputStream decompress(InputStream raw) throws IOException {
        return switch (this) {
            case NONE -> raw;
            case GZIP -> new GZIPInputStream(raw, INFLATE_BUFFER);
            case ZSTD -> new ZstdInputStreamNoFinalizer(raw);
        };
    }
}
