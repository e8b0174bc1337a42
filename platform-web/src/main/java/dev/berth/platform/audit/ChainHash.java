package dev.berth.platform.audit;

import java.util.Arrays;
import java.util.HexFormat;

/** A sha256 link of the audit chain. */
public record ChainHash(byte[] bytes) {
    public static final ChainHash GENESIS = new ChainHash(new byte[32]);

    public ChainHash {
        if (bytes.length != 32) throw new IllegalArgumentException("a chain hash has 32 bytes, got " + bytes.length);
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
