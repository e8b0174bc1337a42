package dev.berth.registry;

import java.util.Objects;

/**
 * A content descriptor: what a manifest or index says about a blob or manifest it points to.
 *
 * @param platform the platform of an index entry, or null (layers, configs, entries without one)
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Digests.check(digest);
        if (size < 0) throw new IllegalArgumentException("descriptor size " + size + " is negative");
    }
}
