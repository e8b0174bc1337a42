package dev.berth.agent.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar archives header by header, so tests can craft what archivers refuse to write:
 * traversal names, absolute names, PAX and GNU overrides, huge ids and sizes, cut-off streams.
 */
final class RawTar {
    static final long MTIME = 1_700_000_000L;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawTar file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    RawTar file(String name, String content, int mode, long uid, long gid) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', data.length, mode, uid, gid, "");
        return data(data);
    }

    RawTar dir(String name) {
        return dir(name, 0755, 0, 0);
    }

    RawTar dir(String name, int mode, long uid, long gid) {
        header(name, '5', 0, mode, uid, gid, "");
        return this;
    }

    RawTar symlink(String name, String target) {
        header(name, '2', 0, 0777, 0, 0, target);
        return this;
    }

    RawTar hardlink(String name, String target) {
        header(name, '1', 0, 0644, 0, 0, target);
        return this;
    }

    RawTar special(String name, char type) {
        header(name, type, 0, 0666, 0, 0, "");
        return this;
    }

    /** A header that declares {@code size} bytes, followed by only what {@code data} holds. */
    RawTar declared(String name, long size, byte[] data) {
        header(name, '0', size, 0644, 0, 0, "");
        out.writeBytes(data);
        return this;
    }

    /** A GNU 'L' long-name record that renames the entry after it. */
    RawTar gnuLongName(String name) {
        byte[] data = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'L', data.length, 0644, 0, 0, "");
        return data(data);
    }

    /** A GNU 'K' long-link record that sets the link target of the entry after it. */
    RawTar gnuLongLink(String target) {
        byte[] data = (target + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'K', data.length, 0644, 0, 0, "");
        return data(data);
    }

    /** A PAX extended header ('x') for the entry after it, e.g. {@code pax("path", "../evil")}. */
    RawTar pax(String key, String value) {
        byte[] data = paxRecord(key, value);
        header("PaxHeaders/x", 'x', data.length, 0644, 0, 0, "");
        return data(data);
    }

    static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + String.valueOf(len).length();
        if (String.valueOf(total).length() != String.valueOf(len).length()) total++;
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    /** The archive with its two zero end blocks. */
    byte[] bytes() {
        var copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** The archive so far, without end blocks. */
    byte[] unterminated() {
        return out.toByteArray();
    }

    static byte[] gzip(byte[] tar) {
        try {
            var b = new ByteArrayOutputStream();
            try (OutputStream g = new GZIPOutputStream(b)) {
                g.write(tar);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] zstd(byte[] tar) {
        return com.github.luben.zstd.Zstd.compress(tar);
    }

    private RawTar data(byte[] data) {
        out.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    private void header(String name, char type, long size, int mode, long uid, long gid, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, MTIME);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        byte[] cs = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(cs, 0, h, 148, 8);
        out.writeBytes(h);
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        if (v.length > len) throw new IllegalArgumentException("field too long: " + new String(v, StandardCharsets.UTF_8));
        System.arraycopy(v, 0, h, off, v.length);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        if (s.length() > len - 1) throw new IllegalArgumentException("value too large for octal field: " + v);
        put(h, off, len, (s + "\0").getBytes(StandardCharsets.US_ASCII));
    }
}
