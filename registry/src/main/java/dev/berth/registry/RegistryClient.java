package dev.berth.registry;

import dev.berth.registry.network.EgressTunnel;
import dev.berth.registry.network.ForbiddenTargetException;
import dev.berth.registry.network.TargetGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * An OCI Distribution v2 client for pulling: resolves references to platform-specific manifests
 * and downloads blobs verified against their digests. Thread-safe; one instance is meant to be
 * shared. Credentials and tokens never appear in exception messages.
 */
public final class RegistryClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistryClient.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    // Until response headers arrive; a body stream has no overall limit, large layers take long.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 8 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final long PROGRESS_STEP = 256 * 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final RegistryConfig config;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Duration idleTimeout;
    private final ScheduledExecutorService stallTimer;
    private final RegistryAuth auth;
    private final TargetGuard targets;
    private final EgressTunnel tunnel; // null when every address is allowed

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
        this.sleeper = sleeper;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.stallTimer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("registry-stall-timer").factory());
        this.targets = new TargetGuard(config.targets(), resolver);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER); // followed by hand, to drop Authorization across hosts
        if (config.targets().allowsEverything()) {
            this.tunnel = null;
        } else {
            // The client would resolve names again when connecting; through the tunnel it reaches exactly the checked address.
            try {
                this.tunnel = EgressTunnel.start(targets);
            } catch (IOException e) {
                stallTimer.shutdownNow();
                throw new java.io.UncheckedIOException("cannot start the registry client's egress tunnel", e);
            }
            builder.proxy(tunnel.proxySelector());
        }
        this.http = builder.build();
        this.auth = new RegistryAuth(config, clock, this::exchange);
    }

    /**
     * Fetches the manifest for {@code ref} (by digest if it has one, else tag); follows an OCI
     * index / Docker manifest list to the entry for {@code platform}; verifies the manifest digest
     * (and that a digest-pinned ref matches); refuses schema 1 and unknown media types with a clear
     * message naming the media type. Refuses an image with more layers or a larger declared total
     * size than {@link RegistryConfig#imageLimits()} allow, before anything else is fetched.
     */
    public ResolvedImage resolve(ImageReference ref, Platform platform) throws IOException {
        ResolvedImage resolved = resolveManifest(ref, platform);
        checkLimits(ref, resolved.manifest());
        return resolved;
    }

    private void checkLimits(ImageReference ref, ImageManifest manifest) throws RegistryException {
        ImageLimits limits = config.imageLimits();
        int layers = manifest.layers().size();
        if (layers > limits.maxLayers()) {
            throw new RegistryException(ref.registry(), ref.repository(), "image " + ref + " has " + layers
                    + " layers, more than the limit of " + limits.maxLayers(), 0);
        }
        long total = manifest.config().size();
        for (Descriptor layer : manifest.layers()) {
            total = total + layer.size() < total ? Long.MAX_VALUE : total + layer.size();
        }
        if (total > limits.maxBytes()) {
            throw new RegistryException(ref.registry(), ref.repository(), "image " + ref + " is " + total
                    + " bytes (config and layers as stored in the registry), more than the limit of " + limits.maxBytes(), 0);
        }
    }

    private ResolvedImage resolveManifest(ImageReference ref, Platform platform) throws IOException {
        Objects.requireNonNull(platform, "platform");
        Fetched top = fetchManifest(ref, ref.manifestReference(), ref.digest());
        ManifestDocument doc = parse(ref, top);
        return switch (doc) {
            case ManifestDocument.Image image ->
                    new ResolvedImage(ref.withDigest(top.digest), null, manifest(top, image));
            case ManifestDocument.Index index -> {
                Descriptor entry = index.select(platform).orElseThrow(() -> new RegistryException(ref.registry(),
                        ref.repository(), "image " + ref + " has no manifest for platform " + platform
                        + " (available: " + String.join(", ", index.platforms()) + ")", 0));
                Fetched selected = fetchManifest(ref, entry.digest(), entry.digest());
                if (selected.body.length != entry.size()) {
                    throw new RegistryException(ref.registry(), ref.repository(), "manifest " + entry.digest() + " is "
                            + selected.body.length + " bytes but the index says " + entry.size(), 0);
                }
                if (!(parse(ref, selected) instanceof ManifestDocument.Image image)) {
                    throw new RegistryException(ref.registry(), ref.repository(), "index entry " + entry.digest()
                            + " for " + platform + " is itself an index; nested indexes are not supported", 0);
                }
                yield new ResolvedImage(ref.withDigest(entry.digest()), top.digest, manifest(selected, image));
            }
        };
    }

    /**
     * Streams the blob to a temp file in target's directory while computing sha256, checks size and
     * digest, then atomically renames to target. No-op if target exists. On mismatch/truncation
     * deletes the partial file and throws RegistryException. Retries with backoff on 5xx and
     * connection resets/truncation. Reports progress.
     */
    public void download(ImageReference repository, Descriptor blob, Path target, PullProgress progress)
            throws IOException {
        if (Files.exists(target)) return;
        if (blob.size() > config.maxBlobBytes()) {
            throw new RegistryException(repository.registry(), repository.repository(), "blob " + blob.digest()
                    + " is " + blob.size() + " bytes, more than the limit of " + config.maxBlobBytes(), 0);
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        retrying(repository, "downloading blob " + blob.digest(), () -> {
            downloadOnce(repository, blob, dir, target, progress == null ? PullProgress.NONE : progress);
            return null;
        });
    }

    /**
     * Downloads several blobs with at most {@code config.parallelDownloads()} at once; the first
     * failure cancels the rest and is thrown. Blobs listed twice for the same target are fetched once.
     */
    public void downloadAll(ImageReference repository, List<Descriptor> blobs, Function<Descriptor, Path> target,
            PullProgress progress) throws IOException {
        Map<Path, Descriptor> work = new LinkedHashMap<>();
        for (Descriptor blob : blobs) work.putIfAbsent(target.apply(blob), blob);
        if (work.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.parallelDownloads(), work.size()),
                Thread.ofVirtual().name("blob-download-", 0).factory());
        ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
        List<Future<Void>> futures = new ArrayList<>();
        try {
            for (Map.Entry<Path, Descriptor> e : work.entrySet()) {
                futures.add(done.submit(() -> {
                    download(repository, e.getValue(), e.getKey(), progress);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) throw io;
                    if (cause instanceof RuntimeException re) throw re;
                    if (cause instanceof Error err) throw err;
                    throw new IOException(cause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading blobs of " + repository.repositoryName());
        } finally {
            for (Future<Void> f : futures) f.cancel(true);
            pool.shutdownNow();
            // Wait so cancelled downloads have removed their partial files before the caller goes on.
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Fetches a blob fully into memory (for the image config), bounded by maxManifestBytes, digest-verified. */
    public byte[] fetchBlob(ImageReference repository, Descriptor blob) throws IOException {
        String what = "blob " + blob.digest();
        if (blob.size() > config.maxManifestBytes()) {
            throw new RegistryException(repository.registry(), repository.repository(), what + " is " + blob.size()
                    + " bytes, more than the in-memory limit of " + config.maxManifestBytes(), 0);
        }
        return retrying(repository, "fetching " + what, () -> {
            HttpResponse<InputStream> r = send(repository, "blobs/" + blob.digest(), null);
            try (InputStream in = guard(r.body())) {
                checkOk(repository, what, r);
                checkContentLength(repository, what, r, blob.size());
                byte[] body = readBounded(in, blob.size(), () -> new RegistryException(repository.registry(),
                        repository.repository(), what + " is larger than its descriptor's " + blob.size() + " bytes", 0));
                if (body.length < blob.size()) {
                    throw new TransientRegistryException(repository.registry(), repository.repository(), what
                            + " was truncated: got " + body.length + " of " + blob.size() + " bytes", 0, null, null);
                }
                String actual = Digests.of(body);
                if (!actual.equals(blob.digest())) {
                    throw new RegistryException(repository.registry(), repository.repository(),
                            "digest mismatch for " + what + ": content hashes to " + actual, 0);
                }
                return body;
            }
        });
    }

    @Override
    public void close() {
        http.close();
        stallTimer.shutdownNow();
        if (tunnel != null) tunnel.close();
    }

    private InputStream guard(InputStream body) {
        return new StallGuard(body, idleTimeout, stallTimer);
    }

    // ---- manifests

    private record Fetched(byte[] body, String contentType, String digest) {
    }

    private Fetched fetchManifest(ImageReference ref, String reference, String expectedDigest) throws IOException {
        String what = "manifest " + reference;
        return retrying(ref, "fetching " + what, () -> {
            HttpResponse<InputStream> r = send(ref, "manifests/" + reference, MediaTypes.ACCEPT);
            try (InputStream in = guard(r.body())) {
                checkOk(ref, what, r);
                long limit = config.maxManifestBytes();
                long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (announced > limit) {
                    throw new RegistryException(ref.registry(), ref.repository(), what + " is " + announced
                            + " bytes, more than the limit of " + limit, 0);
                }
                byte[] body = readBounded(in, limit, () -> new RegistryException(ref.registry(), ref.repository(),
                        what + " is more than the limit of " + limit + " bytes", 0));
                String digest = Digests.of(body);
                if (expectedDigest != null && !digest.equals(expectedDigest)) {
                    throw new RegistryException(ref.registry(), ref.repository(), "digest mismatch for " + what
                            + ": content hashes to " + digest, 0);
                }
                String announcedDigest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
                if (expectedDigest == null && announcedDigest != null && announcedDigest.startsWith("sha256:")
                        && !announcedDigest.equals(digest)) {
                    throw new RegistryException(ref.registry(), ref.repository(), "digest mismatch for " + what
                            + ": registry says " + announcedDigest + " but content hashes to " + digest, 0);
                }
                return new Fetched(body, r.headers().firstValue("Content-Type").orElse(null), digest);
            }
        });
    }

    private static ManifestDocument parse(ImageReference ref, Fetched fetched) throws RegistryException {
        try {
            return ManifestDocument.parse(fetched.body, fetched.contentType);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ref.registry(), ref.repository(), "manifest " + fetched.digest + ": "
                    + e.getMessage(), 0);
        }
    }

    private static ImageManifest manifest(Fetched fetched, ManifestDocument.Image image) {
        return new ImageManifest(fetched.digest, image.mediaType(), image.config(), image.layers(), fetched.body);
    }

    // ---- blobs

    private void downloadOnce(ImageReference repo, Descriptor blob, Path dir, Path target, PullProgress progress)
            throws IOException {
        String what = "blob " + blob.digest();
        Path partial = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
        try {
            HttpResponse<InputStream> r = send(repo, "blobs/" + blob.digest(), null);
            try (InputStream in = guard(r.body());
                    FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                checkOk(repo, what, r);
                checkContentLength(repo, what, r, blob.size());
                MessageDigest sha = Digests.sha256();
                byte[] buf = new byte[CHUNK];
                long total = 0;
                long reported = 0;
                progress.blob(blob.digest(), 0, blob.size());
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > blob.size()) {
                        throw new RegistryException(repo.registry(), repo.repository(), what
                                + " is larger than its descriptor's " + blob.size() + " bytes", 0);
                    }
                    sha.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) out.write(bb);
                    if (total - reported >= PROGRESS_STEP) {
                        progress.blob(blob.digest(), total, blob.size());
                        reported = total;
                    }
                }
                if (total < blob.size()) {
                    throw new TransientRegistryException(repo.registry(), repo.repository(), what
                            + " was truncated: got " + total + " of " + blob.size() + " bytes", 0, null, null);
                }
                String actual = Digests.of(sha);
                if (!actual.equals(blob.digest())) {
                    throw new RegistryException(repo.registry(), repo.repository(),
                            "digest mismatch for " + what + ": content hashes to " + actual, 0);
                }
                out.force(true);
                if (reported != total) progress.blob(blob.digest(), total, blob.size());
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void checkContentLength(ImageReference repo, String what, HttpResponse<?> r, long size)
            throws RegistryException {
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced > size) {
            throw new RegistryException(repo.registry(), repo.repository(), what + " is announced as " + announced
                    + " bytes, more than its descriptor's " + size, 0);
        }
    }

    // ---- HTTP, authentication, retries

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException;
    }

    private <T> T retrying(ImageReference repo, String what, Attempt<T> attempt) throws IOException {
        RetryPolicy policy = config.retry();
        for (int n = 1; ; n++) {
            Duration wait;
            try {
                return attempt.run();
            } catch (TransientRegistryException e) {
                if (n >= policy.attempts()) throw e;
                wait = e.retryAfter() != null && e.retryAfter().compareTo(policy.maxBackoff()) <= 0
                        ? e.retryAfter() : policy.backoff(n);
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; retrying in {2}", repo.repositoryName(), e.getMessage(), wait);
            } catch (RegistryException | InterruptedIOException e) {
                throw e;
            } catch (javax.net.ssl.SSLException e) {
                // A TLS failure does not heal by retrying; the usual cause is a registry that speaks plain HTTP.
                throw new RegistryException(repo.registry(), repo.repository(), what + " failed: " + describe(e)
                        + (config.isInsecure(repo.registry()) ? "" : "; if this registry speaks plain HTTP, allow it with"
                        + " --insecure-registry " + repo.registry() + " (or insecureRegistries in the agent's configuration)"), 0, e);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) throw interrupted(what, e);
                if (n >= policy.attempts()) {
                    throw new RegistryException(repo.registry(), repo.repository(), what + " failed after " + n
                            + " attempts: " + describe(e), 0, e);
                }
                wait = policy.backoff(n);
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1} failed ({2}); retrying in {3}", repo.repositoryName(),
                        what, describe(e), wait);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw interrupted(what, ie);
            }
        }
    }

    private static InterruptedIOException interrupted(String what, Throwable cause) {
        InterruptedIOException e = new InterruptedIOException(what + " was interrupted");
        e.initCause(cause);
        return e;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }

    /** GETs {@code /v2/<repository>/<path>}, authenticating on a 401 challenge. The caller closes the body. */
    private HttpResponse<InputStream> send(ImageReference repo, String path, String accept) throws IOException {
        String registry = repo.registry();
        URI uri = URI.create(scheme(registry) + "://" + registry + "/v2/" + repo.repository() + "/" + path);
        String scope = "repository:" + repo.repository() + ":pull";
        String presented = this.auth.cached(registry, scope);
        HttpResponse<InputStream> r = exchange(uri, accept, presented);
        if (r.statusCode() != 401) return r;
        String header = r.headers().firstValue("WWW-Authenticate").orElse(null);
        discard(r);
        AuthChallenge challenge;
        try {
            challenge = AuthChallenge.parse(header);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(registry, repo.repository(), "registry demands authentication we cannot provide: "
                    + e.getMessage(), 401);
        }
        String fresh = this.auth.authorize(repo, scope, challenge, presented);
        r = exchange(uri, accept, fresh);
        if (r.statusCode() == 401) {
            discard(r);
            this.auth.forget(registry, scope);
            throw RegistryAuth.failed(repo, "the registry refused the " + (challenge instanceof AuthChallenge.Basic
                    ? "credentials" : "token") + " (wrong credentials, or no access to " + repo.repository() + ")");
        }
        return r;
    }

    private String scheme(String registry) {
        return config.isInsecure(registry) ? "http" : "https";
    }

    /** One GET, following redirects; Authorization only goes to the origin it was meant for. */
    private HttpResponse<InputStream> exchange(URI uri, String accept, String authorization) throws IOException {
        URI current = uri;
        for (int hops = 0; ; hops++) {
            // Every hop: the registry, each redirect and token service are checked before any byte goes to them.
            // With a tunnel only the name is checked here: the tunnel resolves once and checks what it connects to.
            try {
                if (tunnel != null) targets.checkName(current.getHost());
            } catch (ForbiddenTargetException e) {
                throw new RegistryException(current.getRawAuthority(), null, e.getMessage(), 0, e);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().timeout(RESPONSE_TIMEOUT)
                    .header("User-Agent", "berth-agent");
            if (accept != null) b.header("Accept", accept);
            if (authorization != null) b.header("Authorization", authorization);
            // No h2c upgrade attempts against plain-http registries.
            if ("http".equals(current.getScheme())) b.version(HttpClient.Version.HTTP_1_1);
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted("request to " + current.getRawAuthority(), e);
            } catch (IOException e) {
                // The tunnel answers a refused host with a failed tunnel or a closed connection; say why instead.
                String refusal = tunnel == null ? null : tunnel.refusal(current.getHost()).orElse(null);
                if (refusal != null) throw new RegistryException(current.getRawAuthority(), null, refusal, 0, e);
                throw e;
            }
            int status = r.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return r;
            String location = r.headers().firstValue("Location").orElse(null);
            discard(r);
            if (location == null) throw new IOException("redirect (HTTP " + status + ") without Location from "
                    + current.getRawAuthority());
            if (hops >= MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects from "
                    + uri.getRawAuthority());
            URI next = current.resolve(location);
            if (!"https".equals(next.getScheme()) && !"http".equals(next.getScheme())) {
                throw new IOException("redirect to unsupported URL scheme " + next.getScheme());
            }
            if ("https".equals(current.getScheme()) && "http".equals(next.getScheme())) {
                throw new IOException("refusing redirect from https to plain http at " + next.getRawAuthority());
            }
            if (!Objects.equals(next.getScheme(), uri.getScheme())
                    || !Objects.equals(next.getRawAuthority(), uri.getRawAuthority())) {
                authorization = null;
            }
            current = next;
        }
    }

    private static void checkOk(ImageReference repo, String what, HttpResponse<InputStream> r) throws IOException {
        if (r.statusCode() == 200) return;
        throw statusFailure(repo, what, r, r.body());
    }

    /** The exception for an unexpected status; transient for 5xx, 408 and 429. */
    static RegistryException statusFailure(ImageReference repo, String what, HttpResponse<?> r, InputStream body) {
        int status = r.statusCode();
        String detail = errorDetail(body);
        String message = switch (status) {
            case 404 -> what + " not found";
            case 403 -> what + ": access denied";
            default -> what + " failed";
        } + (detail.isEmpty() ? "" : ": " + detail);
        if (status >= 500 || status == 408 || status == 429) {
            Duration retryAfter = r.headers().firstValueAsLong("Retry-After").stream()
                    .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
            return new TransientRegistryException(repo.registry(), repo.repository(), message, status, retryAfter, null);
        }
        return new RegistryException(repo.registry(), repo.repository(), message, status);
    }

    // Registries explain failures as {"errors":[{"code":..,"message":..}]}.
    private static String errorDetail(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            JsonNode root = Json.object(bytes, "error");
            List<String> parts = new ArrayList<>();
            for (JsonNode e : root.path("errors")) {
                String code = Json.text(e, "code");
                String message = Json.text(e, "message");
                parts.add((code != null ? code : "") + (code != null && message != null ? " " : "")
                        + (message != null ? message : ""));
            }
            return String.join("; ", parts);
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private static void discard(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException ignored) {
            // only draining so the connection can be reused
        }
    }

    @FunctionalInterface
    interface TooLarge {
        RegistryException get();
    }

    /** Reads at most {@code limit} bytes; one more means the body is too large and reading stops. */
    static byte[] readBounded(InputStream in, long limit, TooLarge tooLarge) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, limit + 1 - total))) > 0; ) {
            total += n;
            if (total > limit) throw tooLarge.get();
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "RegistryClient[insecure=" + config.insecureRegistries() + ", registriesWithCredentials="
                + config.credentials().keySet() + "]";
    }
}
