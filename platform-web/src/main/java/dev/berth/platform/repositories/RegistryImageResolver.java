package dev.berth.platform.repositories;

import dev.berth.image.ImageReference;
import dev.berth.registry.ImageLimits;
import dev.berth.registry.Platform;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.ResolvedImage;
import dev.berth.registry.network.AddressPolicy;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves images with the same registry client the agents pull with. The digest of an index
 * (multi-platform image) is pinned when there is one, so every host picks its own platform from
 * exactly the content the push saw. One client per registry, kept for its connections and tokens.
 * Registries reach only addresses the {@link AddressPolicy} allows, and images above the
 * configured layer count or size are refused.
 */
public final class RegistryImageResolver implements ImageResolver, AutoCloseable {
    private final GitProperties properties;
    private final AddressPolicy targets;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    public RegistryImageResolver(GitProperties properties, AddressPolicy targets) {
        this.properties = properties;
        this.targets = targets;
    }

    @Override
    public String resolve(String image) throws UnresolvableImage {
        try {
            ImageReference ref = ImageReference.parse(image);
            ResolvedImage resolved = client(ref.registry()).resolve(ref, Platform.host());
            return resolved.indexDigest() != null ? resolved.indexDigest() : resolved.manifest().digest();
        } catch (IllegalArgumentException | IOException e) {
            throw new UnresolvableImage(e.getMessage(), e);
        }
    }

    private RegistryClient client(String registry) {
        return clients.computeIfAbsent(registry, r -> {
            RegistryConfig config = RegistryConfig.defaults().withTargets(targets)
                    .withImageLimits(new ImageLimits(properties.maxImageLayers(), properties.maxImageBytes()));
            if (insecure(r)) config = config.withInsecure(r);
            return new RegistryClient(config);
        });
    }

    /** Listed as {@code host:port}, or as {@code host:*} for every port of a host. */
    boolean insecure(String registry) {
        String host = registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return properties.insecureRegistries().stream().anyMatch(e -> e.equals(registry) || e.equals(host + ":*"));
    }

    @Override
    public void close() {
        clients.values().forEach(RegistryClient::close);
    }
}
