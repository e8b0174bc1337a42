package dev.berth.agent.image;

import dev.berth.registry.Descriptor;
import java.time.Instant;
import java.util.List;

/**
 * An image the agent holds, recorded by the digest of its platform manifest. Tags are only names
 * that point here ({@link ImageStore}).
 *
 * @param digest the platform manifest's digest
 * @param indexDigest the index or manifest list it was picked from, or null
 * @param repository where it came from ({@code registry/repository}), or {@code import} paths' names
 * @param config the image config blob
 * @param layers the layer blobs, base first
 * @param chain the snapshot key after each layer, base first; the last one is the root filesystem
 */
public record ImageRecord(String digest, String indexDigest, String repository, Descriptor config, List<Descriptor> layers,
                          List<String> chain, Instant storedAt) {
    public ImageRecord {
        layers = List.copyOf(layers);
        chain = List.copyOf(chain);
    }

    /** The bytes this image's blobs take, compressed. */
    public long size() {
        return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }
}
