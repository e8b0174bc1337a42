package dev.berth.registry;

import java.util.List;
import java.util.Objects;

/**
 * A platform-specific image manifest (OCI image manifest or Docker schema 2).
 *
 * @param digest    sha256 of {@code raw}, verified
 * @param mediaType one of {@link MediaTypes#OCI_MANIFEST} or {@link MediaTypes#DOCKER_MANIFEST}
 * @param layers    layer blobs, base layer first
 * @param raw       the manifest bytes exactly as served, for storing alongside the image
 */
public record ImageManifest(String digest, String mediaType, Descriptor config, List<Descriptor> layers, byte[] raw) {

    public ImageManifest {
        Digests.check(digest);
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        Objects.requireNonNull(raw, "raw");
    }
}
