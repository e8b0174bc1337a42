package dev.berth.registry;

import dev.berth.image.ImageReference;
import dev.berth.registry.network.TargetGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * An OCI Distribution v2 client for pulling: resolves references to platform-specific manifests
 * and downloads blobs verified against their digests. Thread-safe; one instance is meant to be
 * shared. Credentials and tokens never appear in exception messages.
 */
public final class RegistryClient implements AutoCloseable {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final RegistryConfig config;
    private final RegistryHttp http;
    private final Manifests manifests;
    private final BlobDownloads blobs;

    /** A client with {@code config}; close it to release its connections. */
    public RegistryClient(RegistryConfig config) {
        this(config, Sleeper.REAL, Clock.systemUTC(), IDLE_TIMEOUT);
    }

    /** @param idleTimeout how long a response body may deliver nothing before the attempt is abandoned */
    RegistryClient(RegistryConfig config, Sleeper sleeper, Clock clock, Duration idleTimeout) {
        this(config, sleeper, clock, idleTimeout, java.net.InetAddress::getAllByName);
    }

    /** @param resolver how the egress tunnel resolves host names (tests answer without DNS) */
    RegistryClient(RegistryConfig config, Sleeper sleeper, Clock clock, Duration idleTimeout,
            TargetGuard.Resolver resolver) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = new RegistryHttp(config, clock, idleTimeout, resolver);
        var retries = new Retries(config, sleeper);
        this.manifests = new Manifests(config, http, retries);
        this.blobs = new BlobDownloads(config, http, retries);
    }

    /**
     * Fetches the manifest for {@code ref} (by digest if it has one, else tag); follows an OCI
     * index / Docker manifest list to the entry for {@code platform}; verifies the manifest digest
     * (and that a digest-pinned ref matches); refuses schema 1 and unknown media types with a clear
     * message naming the media type. Refuses an image with more layers or a larger declared total
     * size than {@link RegistryConfig#imageLimits()} allow, before anything else is fetched.
     */
    public ResolvedImage resolve(ImageReference ref, Platform platform) throws IOException {
        return manifests.resolve(ref, platform);
    }

    /**
     * Streams the blob into {@code target} while computing sha256, checks size and digest, and
     * only then puts the file in place (see {@link dev.berth.atomicfile.AtomicFile}). No-op if target
     * exists. On mismatch or truncation nothing is left behind and RegistryException is thrown.
     * Retries with backoff on 5xx and connection resets/truncation. Reports progress.
     */
    public void download(ImageReference repository, Descriptor blob, Path target, PullProgress progress)
            throws IOException {
        blobs.download(repository, blob, target, progress);
    }

    /**
     * Downloads several blobs with at most {@code config.parallelDownloads()} at once; the first
     * failure cancels the rest and is thrown. Blobs listed twice for the same target are fetched once.
     */
    public void downloadAll(ImageReference repository, List<Descriptor> blobs, Function<Descriptor, Path> target,
            PullProgress progress) throws IOException {
        this.blobs.downloadAll(repository, blobs, target, progress);
    }

    /** Fetches a blob fully into memory (for the image config), bounded by maxManifestBytes, digest-verified. */
    public byte[] fetchBlob(ImageReference repository, Descriptor blob) throws IOException {
        return blobs.fetchBlob(repository, blob);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RegistryClient[insecure=" + config.insecureRegistries() + ", registriesWithCredentials="
                + config.credentials().keySet() + "]";
    }
}
