package dev.berth.registry;

import dev.berth.image.ImageReference;
import java.util.Objects;

/**
 * The outcome of {@link RegistryClient#resolve}: the platform-specific manifest of an image.
 *
 * @param reference   the requested reference, carrying the digest of the platform-specific manifest
 * @param indexDigest digest of the OCI index / Docker manifest list it was selected from, or null
 *                    when the reference pointed straight at an image manifest
 */
public record ResolvedImage(ImageReference reference, String indexDigest, ImageManifest manifest) {

    public ResolvedImage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(manifest, "manifest");
    }
}
