package dev.berth.registry;

import dev.berth.image.ImageReference;
import dev.berth.registry.network.AddressPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link RegistryClient} talks to registries.
 *
 * @param insecureRegistries {@code host[:port]} registries reached over plain http; all others use https
 * @param credentials        credentials by registry {@code host[:port]}; for Docker Hub the keys
 *                           {@code docker.io} and {@code registry-1.docker.io} both work
 * @param parallelDownloads  how many blobs {@link RegistryClient#downloadAll} fetches at once
 * @param maxManifestBytes   the largest manifest, index or in-memory blob accepted
 * @param maxBlobBytes       the largest blob downloaded to a file
 * @param imageLimits        layers and total size of an image
 * @param targets            which addresses registries, redirects and token services may have
 */
public record RegistryConfig(Set<String> insecureRegistries, Map<String, Credentials> credentials,
        int parallelDownloads, long maxManifestBytes, long maxBlobBytes, RetryPolicy retry, ImageLimits imageLimits,
        AddressPolicy targets) {

    public RegistryConfig {
        insecureRegistries = Set.copyOf(insecureRegistries);
        credentials = Map.copyOf(credentials);
        if (parallelDownloads < 1) throw new IllegalArgumentException("parallelDownloads must be at least 1");
        if (maxManifestBytes < 1 || maxBlobBytes < 1) throw new IllegalArgumentException("size limits must be positive");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(imageLimits, "imageLimits");
        Objects.requireNonNull(targets, "targets");
    }

    /**
     * Default image limits and every address reachable: for registries an administrator named
     * (the agent's configuration); see {@link #withTargets} for hosts users name.
     */
    public RegistryConfig(Set<String> insecureRegistries, Map<String, Credentials> credentials,
            int parallelDownloads, long maxManifestBytes, long maxBlobBytes, RetryPolicy retry) {
        this(insecureRegistries, credentials, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                ImageLimits.DEFAULTS, AddressPolicy.any());
    }

    /** https only, anonymous, 3 parallel downloads, 4 MiB manifests, 16 GiB blobs, default retries and image limits. */
    public static RegistryConfig defaults() {
        return new RegistryConfig(Set.of(), Map.of(), 3, 4L << 20, 16L << 30, RetryPolicy.DEFAULT);
    }

    public RegistryConfig withImageLimits(ImageLimits limits) {
        return new RegistryConfig(insecureRegistries, credentials, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                limits, targets);
    }

    /** This configuration connecting only where {@code policy} allows. */
    public RegistryConfig withTargets(AddressPolicy policy) {
        return new RegistryConfig(insecureRegistries, credentials, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                imageLimits, policy);
    }

    /** This configuration also allowing plain http to {@code registry}. */
    public RegistryConfig withInsecure(String registry) {
        Set<String> insecure = new HashSet<>(insecureRegistries);
        insecure.add(registry);
        return new RegistryConfig(insecure, credentials, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                imageLimits, targets);
    }

    /** This configuration with {@code creds} for {@code registry}. */
    public RegistryConfig withCredentials(String registry, Credentials creds) {
        Map<String, Credentials> all = new HashMap<>(credentials);
        all.put(registry, creds);
        return new RegistryConfig(insecureRegistries, all, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                imageLimits, targets);
    }

    public RegistryConfig withParallelDownloads(int n) {
        return new RegistryConfig(insecureRegistries, credentials, n, maxManifestBytes, maxBlobBytes, retry,
                imageLimits, targets);
    }

    public RegistryConfig withLimits(long maxManifestBytes, long maxBlobBytes) {
        return new RegistryConfig(insecureRegistries, credentials, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                imageLimits, targets);
    }

    public RegistryConfig withRetry(RetryPolicy retry) {
        return new RegistryConfig(insecureRegistries, credentials, parallelDownloads, maxManifestBytes, maxBlobBytes, retry,
                imageLimits, targets);
    }

    /** Whether {@code registry} is reached over plain http. */
    public boolean isInsecure(String registry) {
        return insecureRegistries.contains(registry);
    }

    /** The credentials configured for {@code registry}, or null. */
    public Credentials credentialsFor(String registry) {
        Credentials c = credentials.get(registry);
        if (c == null && registry.equals(ImageReference.DOCKER_HUB)) {
            c = credentials.getOrDefault("docker.io", credentials.get("index.docker.io"));
        }
        return c;
    }
}
