package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real docker-registry on 127.0.0.1, images pushed with skopeo, faults injected by a proxy. */
class RegistryClientIntegrationTest {

    static final Credentials ALICE = new Credentials("alice", "correct-horse");
    static final Platform HOST = Platform.host();

    static TestRegistry registry;
    static TestImages.Built web;
    static TestImages.Built multi;
    static TestImages.Built many;
    static Path images;

    @TempDir
    Path dir;
    FaultProxy proxy;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void pushImages() throws IOException {
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        images = Files.createTempDirectory("berth-test-images-");
        TestImages.Image base = TestImages.Image.of(
                        TestImages.Layer.of(TestImages.Entry.dir("etc"), TestImages.Entry.file("etc/motd", "hello\n")),
                        TestImages.Layer.of(TestImages.Entry.file("srv/app", incompressible(300_000), 0755)))
                .withEntrypoint("/bin/sh", "-c").withCmd("exec app").withEnv("PATH=/bin", "MODE=test")
                .withWorkingDir("/srv").withUser("1000:1000").withExposedPorts("8080/tcp");
        web = TestImages.writeLayout(images.resolve("web"), "v1", base);
        TestImages.push(web.layout(), "v1", registry.host(), "acme/web:v1", null);

        String other = HOST.architecture().equals("arm64") ? "amd64" : "arm64";
        multi = TestImages.writeIndexLayout(images.resolve("multi"), "v2", List.of(
                base.withPlatform(new Platform("linux", "arm", "v7")).withCmd("arm"),
                base.withPlatform(new Platform("linux", other, null)).withCmd(other),
                base.withPlatform(HOST).withCmd("host")));
        TestImages.push(multi.layout(), "v2", registry.host(), "acme/multi:v2", null);

        List<TestImages.Layer> layers = new ArrayList<>();
        for (int i = 0; i < 6; i++) layers.add(TestImages.Layer.of(TestImages.Entry.file("f" + i, "layer " + i)));
        many = TestImages.writeLayout(images.resolve("many"), "v1",
                TestImages.Image.of(layers.toArray(TestImages.Layer[]::new)));
        TestImages.push(many.layout(), "v1", registry.host(), "acme/many:v1", null);
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) registry.close();
        if (images != null) TestRegistry.deleteTree(images);
    }

    @BeforeEach
    void startProxy() throws IOException {
        proxy = FaultProxy.start(registry.host());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    RegistryClient client(RegistryConfig config) {
        return new RegistryClient(config, sleeps::add, Clock.systemUTC(), Duration.ofMillis(300));
    }

    RegistryConfig viaProxy() {
        return registry.clientConfig().withInsecure(proxy.host());
    }

    ImageReference ref(String host, String rest) {
        return ImageReference.parse(host + "/" + rest);
    }

    @Test
    void anonymousPullOfManifestConfigAndLayers() throws IOException {
        try (RegistryClient client = client(registry.clientConfig())) {
            ResolvedImage resolved = client.resolve(ref(registry.host(), "acme/web:v1"), HOST);
            TestImages.BuiltImage built = web.image();
            assertThat(resolved.indexDigest()).isNull();
            assertThat(resolved.reference().toString())
                    .isEqualTo(registry.host() + "/acme/web:v1@" + built.manifest().digest());
            ImageManifest m = resolved.manifest();
            assertThat(m.digest()).isEqualTo(built.manifest().digest());
            assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(m.raw()).isEqualTo(built.manifestJson());
            assertThat(m.config()).isEqualTo(built.config());
            assertThat(m.layers()).isEqualTo(built.layers());

            ImageConfig config = ImageConfig.parse(client.fetchBlob(resolved.reference(), m.config()));
            assertThat(config.diffIds()).isEqualTo(built.diffIds());
            assertThat(config.entrypoint()).containsExactly("/bin/sh", "-c");
            assertThat(config.cmd()).containsExactly("exec app");
            assertThat(config.env()).containsExactly("PATH=/bin", "MODE=test");
            assertThat(config.workingDir()).isEqualTo("/srv");
            assertThat(config.user()).isEqualTo("1000:1000");
            assertThat(config.exposedPorts()).containsExactly("8080/tcp");
            assertThat(config.os()).isEqualTo("linux");

            Map<String, Long> progress = new ConcurrentHashMap<>();
            client.downloadAll(resolved.reference(), m.layers(), d -> layerPath(d), (digest, done, total) -> {
                assertThat(done).isBetween(0L, total);
                progress.merge(digest, done, Math::max);
            });
            for (Descriptor layer : m.layers()) {
                assertThat(Digests.of(Files.readAllBytes(layerPath(layer)))).isEqualTo(layer.digest());
                assertThat(progress).containsEntry(layer.digest(), layer.size());
            }
            assertThat(partials()).isEmpty();
            // An existing target is not fetched again.
            client.download(resolved.reference(), m.layers().getFirst(), layerPath(m.layers().getFirst()),
                    (d, done, total) -> {
                        throw new AssertionError("downloaded again");
                    });
        }
    }

    @Test
    void digestReferencesResolveAndMustMatch() throws IOException {
        String digest = web.image().manifest().digest();
        try (RegistryClient client = client(viaProxy())) {
            ResolvedImage byDigest = client.resolve(ref(proxy.host(), "acme/web@" + digest), HOST);
            assertThat(byDigest.manifest().digest()).isEqualTo(digest);
            assertThat(byDigest.reference().digest()).isEqualTo(digest);
            assertThat(proxy.requests("/manifests/")).extracting(FaultProxy.Request::path)
                    .containsExactly("/v2/acme/web/manifests/" + digest);

            // Tag and digest: the digest is what is fetched.
            assertThat(client.resolve(ref(proxy.host(), "acme/web:nonexistent@" + digest), HOST).manifest().digest())
                    .isEqualTo(digest);

            proxy.respond("/manifests/" + digest, 200, MediaTypes.OCI_MANIFEST, many.image().manifestJson());
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web@" + digest), HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("digest mismatch for manifest " + digest)
                    .hasMessageContaining(many.image().manifest().digest());

            String absent = "sha256:" + "0".repeat(64);
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web@" + absent), HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining(proxy.host() + "/acme/web: manifest " + absent + " not found")
                    .hasMessageContaining("HTTP 404");
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web:nope"), HOST))
                    .hasMessageContaining("manifest nope not found");
        }
    }

    @Test
    void multiPlatformIndexPicksTheHostPlatform() throws IOException {
        try (RegistryClient client = client(registry.clientConfig())) {
            ResolvedImage resolved = client.resolve(ref(registry.host(), "acme/multi:v2"), HOST);
            TestImages.BuiltImage hostImage = multi.images().get(2);
            assertThat(resolved.indexDigest()).isEqualTo(multi.top().digest());
            assertThat(resolved.reference().digest()).isEqualTo(hostImage.manifest().digest());
            assertThat(resolved.manifest().digest()).isEqualTo(hostImage.manifest().digest());
            assertThat(ImageConfig.parse(client.fetchBlob(resolved.reference(), resolved.manifest().config())).cmd())
                    .containsExactly("host");

            ResolvedImage arm = client.resolve(ref(registry.host(), "acme/multi:v2"), new Platform("linux", "arm", "v7"));
            assertThat(arm.manifest().digest()).isEqualTo(multi.images().get(0).manifest().digest());

            assertThatThrownBy(() -> client.resolve(ref(registry.host(), "acme/multi:v2"),
                    new Platform("linux", "s390x", null)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("has no manifest for platform linux/s390x")
                    .hasMessageContaining("available: linux/arm/v7, ");
        }
    }

    @Test
    void basicAuthWithGoodAndWrongPassword() throws IOException {
        try (TestRegistry secured = TestRegistry.start(ALICE)) {
            TestImages.push(web.layout(), "v1", secured.host(), "acme/web:v1", ALICE);
            ImageReference ref = ref(secured.host(), "acme/web:v1");
            try (RegistryClient client = client(secured.clientConfig())) {
                ResolvedImage resolved = client.resolve(ref, HOST);
                assertThat(resolved.manifest().digest()).isEqualTo(web.image().manifest().digest());
                Descriptor layer = resolved.manifest().layers().getFirst();
                client.download(ref, layer, layerPath(layer), PullProgress.NONE);
                assertThat(layerPath(layer)).exists();
            }
            RegistryConfig wrong = secured.clientConfig().withCredentials(secured.host(), new Credentials("alice", "hunter2"));
            try (RegistryClient client = client(wrong)) {
                assertThatThrownBy(() -> client.resolve(ref, HOST))
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("authentication failed for " + secured.host())
                        .hasMessageNotContaining("hunter2")
                        .hasMessageNotContaining(Credentials.class.getSimpleName())
                        .extracting(e -> ((RegistryException) e).status()).isEqualTo(401);
            }
            RegistryConfig none = RegistryConfig.defaults().withInsecure(secured.host());
            try (RegistryClient client = client(none)) {
                assertThatThrownBy(() -> client.resolve(ref, HOST))
                        .hasMessageContaining("authentication required for " + secured.host())
                        .hasMessageContaining("no credentials are configured");
            }
        }
    }

    @Test
    void bearerTokenFlowCachesTokensPerRepository() throws IOException {
        proxy.requireBearer(ALICE);
        RegistryConfig config = viaProxy().withCredentials(proxy.host(), ALICE);
        try (RegistryClient client = client(config)) {
            ImageReference ref = ref(proxy.host(), "acme/web:v1");
            ResolvedImage resolved = client.resolve(ref, HOST);
            client.downloadAll(ref, resolved.manifest().layers(), this::layerPath, PullProgress.NONE);
            client.fetchBlob(ref, resolved.manifest().config());
            assertThat(proxy.tokensIssued()).isEqualTo(1);
            assertThat(proxy.requests("^/token")).singleElement().satisfies(r -> {
                assertThat(r.authorization()).isEqualTo(ALICE.basicHeader());
            });
            assertThat(proxy.requests("/blobs/")).allSatisfy(r -> assertThat(r.authorization()).startsWith("Bearer "));

            client.resolve(ref(proxy.host(), "acme/many:v1"), HOST);
            assertThat(proxy.tokensIssued()).isEqualTo(2);
        }
        RegistryConfig wrong = viaProxy().withCredentials(proxy.host(), new Credentials("alice", "hunter2"));
        try (RegistryClient client = client(wrong)) {
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web:v1"), HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("authentication failed for " + proxy.host())
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void anonymousBearerTokens() throws IOException {
        proxy.requireBearer(null);
        try (RegistryClient client = client(viaProxy())) {
            assertThat(client.resolve(ref(proxy.host(), "acme/web:v1"), HOST).manifest().digest())
                    .isEqualTo(web.image().manifest().digest());
            assertThat(proxy.requests("^/token")).singleElement().extracting(FaultProxy.Request::authorization).isNull();
        }
    }

    @Test
    void blobRedirectsAreFollowedWithoutAuthorizationToAnotherHost() throws IOException {
        try (FaultProxy storage = FaultProxy.start(registry.host())) {
            proxy.requireBearer(ALICE).redirect("/blobs/", storage.host());
            RegistryConfig config = viaProxy().withInsecure(storage.host()).withCredentials(proxy.host(), ALICE);
            try (RegistryClient client = client(config)) {
                ImageReference ref = ref(proxy.host(), "acme/web:v1");
                ResolvedImage resolved = client.resolve(ref, HOST);
                Descriptor layer = resolved.manifest().layers().getFirst();
                client.download(ref, layer, layerPath(layer), PullProgress.NONE);
                assertThat(Digests.of(Files.readAllBytes(layerPath(layer)))).isEqualTo(layer.digest());
            }
            assertThat(proxy.requests("/blobs/")).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.authorization()).startsWith("Bearer "));
            assertThat(storage.requests("/blobs/")).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.authorization()).isNull());
        }
    }

    @Test
    void corruptedBlobIsRefusedAndThePartialFileDeleted() throws IOException {
        proxy.corruptNext("/blobs/", 1);
        try (RegistryClient client = client(viaProxy())) {
            Descriptor layer = web.image().layers().get(1);
            assertThatThrownBy(() -> client.download(ref(proxy.host(), "acme/web"), layer, layerPath(layer), PullProgress.NONE))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("digest mismatch for blob " + layer.digest());
            assertThat(layerPath(layer)).doesNotExist();
            assertThat(partials()).isEmpty();
            assertThat(proxy.requests("/blobs/")).hasSize(1);

            proxy.corruptNext("/blobs/", 1);
            assertThatThrownBy(() -> client.fetchBlob(ref(proxy.host(), "acme/web"), web.image().config()))
                    .hasMessageContaining("digest mismatch for blob " + web.image().config().digest());
        }
    }

    @Test
    void truncatedBlobsAreRetriedThenRefused() throws IOException {
        Descriptor layer = web.image().layers().get(1);
        ImageReference repo = ref(proxy.host(), "acme/web");
        try (RegistryClient client = client(viaProxy())) {
            proxy.truncateNext("/blobs/", 1, 1000).dropNext("/blobs/", 1, 1000);
            client.download(repo, layer, layerPath(layer), PullProgress.NONE);
            assertThat(Digests.of(Files.readAllBytes(layerPath(layer)))).isEqualTo(layer.digest());
            assertThat(proxy.requests("/blobs/")).hasSize(3);
            assertThat(sleeps).hasSize(2);

            proxy.reset();
            proxy.truncateNext("/blobs/", 100, 1000);
            Path other = dir.resolve("other");
            assertThatThrownBy(() -> client.download(repo, layer, other, PullProgress.NONE))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("blob " + layer.digest() + " was truncated: got 1000 of " + layer.size());
            assertThat(other).doesNotExist();
            assertThat(partials()).isEmpty();
            assertThat(proxy.requests("/blobs/")).hasSize(registry.clientConfig().retry().attempts());
        }
    }

    /** A disk that cannot hold the blob fails the download once: fetching it again would fill the disk again. */
    @Test
    void aBlobTheLocalDiskCannotHoldIsNotDownloadedAgain() throws Exception {
        Descriptor layer = web.image().layers().get(1);
        assertThat(layer.size()).as("larger than the one-page disk below").isGreaterThan(8192);
        Path full = Files.createDirectories(dir.resolve("full"));
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) throw new AssertionError("mounting a tmpfs needs root");
            org.junit.jupiter.api.Assumptions.abort("mounting a tmpfs needs root");
        }
        mount("mount", "-t", "tmpfs", "-o", "size=4k", "berth-registry-full", full.toString());
        try (RegistryClient client = client(viaProxy())) {
            Path target = full.resolve("layer");
            assertThatThrownBy(() -> client.download(ref(proxy.host(), "acme/web"), layer, target, PullProgress.NONE))
                    .isInstanceOfSatisfying(BlobNotStored.class, e -> assertThat(e.target()).isEqualTo(target))
                    .hasMessageContaining("cannot store blob " + layer.digest() + " at " + target)
                    .hasMessageContaining("No space left on device");
            assertThat(proxy.requests("/blobs/")).hasSize(1);
            assertThat(sleeps).isEmpty();
            try (Stream<Path> left = Files.list(full)) {
                assertThat(left).as("nothing half-written").isEmpty();
            }
        } finally {
            mount("umount", "-l", full.toString());
        }
    }

    private static void mount(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Test
    void stalledConnectionsAreAbandonedAndRetried() throws IOException {
        Descriptor layer = web.image().layers().get(1);
        proxy.stallNext("/blobs/", 1, 1000, Duration.ofSeconds(5));
        try (RegistryClient client = client(viaProxy())) {
            client.download(ref(proxy.host(), "acme/web"), layer, layerPath(layer), PullProgress.NONE);
        }
        assertThat(Digests.of(Files.readAllBytes(layerPath(layer)))).isEqualTo(layer.digest());
        assertThat(proxy.requests("/blobs/")).hasSize(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedWithBackoffClientErrorsAreNot() throws IOException {
        RegistryConfig config = viaProxy().withRetry(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(25)));
        try (RegistryClient client = client(config)) {
            ImageReference ref = ref(proxy.host(), "acme/web:v1");
            proxy.failNext("/manifests/", 2, 503).failNext("/blobs/", 3, 500);
            ResolvedImage resolved = client.resolve(ref, HOST);
            Descriptor layer = resolved.manifest().layers().getFirst();
            client.download(ref, layer, layerPath(layer), PullProgress.NONE);
            assertThat(proxy.requests("/manifests/")).hasSize(3);
            assertThat(proxy.requests("/blobs/")).hasSize(4);
            assertThat(sleeps).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20),
                    Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(25));

            proxy.reset();
            sleeps.clear();
            proxy.failNext("/manifests/", 1, 429);
            client.resolve(ref, HOST);
            assertThat(sleeps).hasSize(1);

            proxy.reset();
            proxy.failNext("/blobs/", 5, 403);
            Descriptor other = resolved.manifest().layers().get(1);
            assertThatThrownBy(() -> client.download(ref, other, layerPath(other), PullProgress.NONE))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("blob " + other.digest() + ": access denied: INJECTED injected failure")
                    .hasMessageContaining("HTTP 403");
            assertThat(proxy.requests("/blobs/")).hasSize(1);

            proxy.reset();
            proxy.failNext("/manifests/", 10, 502);
            assertThatThrownBy(() -> client.resolve(ref, HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("manifest v1 failed")
                    .hasMessageContaining("HTTP 502");
            assertThat(proxy.requests("/manifests/")).hasSize(4);
        }
    }

    @Test
    void unknownAndSchema1ManifestsAreRefusedByMediaType() throws IOException {
        try (RegistryClient client = client(viaProxy())) {
            proxy.respond("/manifests/odd", 200, "application/vnd.example.thing.v1+json",
                    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing.v1+json\"}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web:odd"), HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("manifest media type application/vnd.example.thing.v1+json is not supported");
            proxy.respond("/manifests/old", 200, MediaTypes.DOCKER_SCHEMA1_SIGNED,
                    "{\"schemaVersion\":1,\"name\":\"acme/web\",\"tag\":\"old\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web:old"), HOST))
                    .hasMessageContaining(MediaTypes.DOCKER_SCHEMA1_SIGNED + " (Docker schema 1) is not supported");
            assertThat(proxy.requests("/manifests/").getFirst()).isNotNull();
        }
    }

    @Test
    void acceptHeaderAsksForIndexesAndManifests() throws IOException {
        // The registry serves an OCI index only to clients that accept it; resolving multi proves the header.
        try (RegistryClient client = client(viaProxy())) {
            assertThat(client.resolve(ref(proxy.host(), "acme/multi:v2"), HOST).indexDigest()).isEqualTo(multi.top().digest());
        }
    }

    @Test
    void sizeLimitsAreEnforcedWithoutReadingEverything() throws IOException {
        try (RegistryClient client = client(viaProxy().withLimits(100, 1000))) {
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web:v1"), HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("manifest v1 is " + web.image().manifestJson().length
                            + " bytes, more than the limit of 100");
            Descriptor big = web.image().layers().get(1);
            assertThatThrownBy(() -> client.download(ref(proxy.host(), "acme/web"), big, layerPath(big), PullProgress.NONE))
                    .hasMessageContaining("blob " + big.digest() + " is " + big.size() + " bytes, more than the limit of 1000");
            assertThat(proxy.requests("/blobs/")).isEmpty();
            assertThatThrownBy(() -> client.fetchBlob(ref(proxy.host(), "acme/web"), web.image().config()))
                    .hasMessageContaining("more than the in-memory limit of 100");
        }
        try (RegistryClient client = client(viaProxy())) {
            Descriptor real = web.image().layers().get(1);
            Descriptor understated = new Descriptor(real.mediaType(), real.digest(), real.size() - 10, null);
            assertThatThrownBy(() -> client.download(ref(proxy.host(), "acme/web"), understated, layerPath(real),
                    PullProgress.NONE))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("is announced as " + real.size() + " bytes, more than its descriptor's "
                            + understated.size());
            assertThat(partials()).isEmpty();
        }
    }

    @Test
    void imagesWithTooManyLayersOrTooManyBytesAreRefusedBeforeAnyBlob() throws IOException {
        ImageReference manyRef = ref(proxy.host(), "acme/many:v1");
        try (RegistryClient client = client(viaProxy().withImageLimits(new ImageLimits(5, 1L << 30)))) {
            assertThatThrownBy(() -> client.resolve(manyRef, HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage(proxy.host() + "/acme/many: image " + manyRef + " has 6 layers, more than the limit of 5");
        }
        try (RegistryClient client = client(viaProxy().withImageLimits(new ImageLimits(6, 1L << 30)))) {
            assertThat(client.resolve(manyRef, HOST).manifest().layers()).hasSize(6);
        }
        TestImages.BuiltImage built = web.image();
        long total = built.config().size() + built.layers().stream().mapToLong(Descriptor::size).sum();
        ImageReference webRef = ref(proxy.host(), "acme/web:v1");
        try (RegistryClient client = client(viaProxy().withImageLimits(new ImageLimits(128, total - 1)))) {
            assertThatThrownBy(() -> client.resolve(webRef, HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage(proxy.host() + "/acme/web: image " + webRef + " is " + total
                            + " bytes (config and layers as stored in the registry), more than the limit of " + (total - 1));
        }
        try (RegistryClient client = client(viaProxy().withImageLimits(new ImageLimits(128, total)))) {
            assertThat(client.resolve(webRef, HOST).manifest().digest()).isEqualTo(built.manifest().digest());
        }
        assertThat(proxy.requests("/blobs/")).isEmpty();
    }

    @Test
    void loopbackRegistriesAreRefusedUnlessAllowed() throws IOException {
        String setting = "allowed private targets";
        ImageReference webRef = ref(registry.host(), "acme/web:v1");
        var guarded = registry.clientConfig().withTargets(
                dev.berth.registry.network.AddressPolicy.of(List.of(), java.util.Set.of(), setting));
        try (RegistryClient client = client(guarded)) {
            assertThatThrownBy(() -> client.resolve(webRef, HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage(registry.host() + ": '127.0.0.1' resolves to 127.0.0.1, a loopback address; Berth does not"
                            + " connect to loopback, private, link-local or its own addresses unless an administrator allows"
                            + " them (" + setting + ")");
            assertThat(sleeps).as("a refusal is not retried").isEmpty();
        }
        var allowed = registry.clientConfig().withTargets(
                dev.berth.registry.network.AddressPolicy.of(List.of("127.0.0.1/32"), java.util.Set.of(), setting));
        try (RegistryClient client = client(allowed)) {
            assertThat(client.resolve(webRef, HOST).manifest().digest()).isEqualTo(web.image().manifest().digest());
        }
        // A redirect is checked again: the allowed registry cannot send the client on to another address.
        proxy.redirect("/manifests/", "127.0.0.2:" + TestRegistry.freePort());
        try (RegistryClient client = client(viaProxy().withTargets(
                dev.berth.registry.network.AddressPolicy.of(List.of("127.0.0.1"), java.util.Set.of(), setting)))) {
            assertThatThrownBy(() -> client.resolve(ref(proxy.host(), "acme/web:v1"), HOST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("'127.0.0.2' resolves to 127.0.0.2, a loopback address");
        }
    }

    @Test
    void aNameThatRebindsAfterTheCheckNeverReachesTheNewAddress() throws IOException {
        // The policy allows 127.0.0.2 only; the name answers 127.0.0.2 once, then 127.0.0.1 (where nothing may go).
        String setting = "allowed private targets";
        var policy = dev.berth.registry.network.AddressPolicy.of(List.of("127.0.0.2/32"), java.util.Set.of(), setting);
        var allowedAddress = dev.berth.registry.network.RebindingResolver.address("127.0.0.2");
        try (FaultProxy allowed = FaultProxy.start(registry.host(), allowedAddress);
                var forbidden = dev.berth.registry.network.ForbiddenListener.on(
                        dev.berth.registry.network.RebindingResolver.address("127.0.0.1"), allowed.port())) {
            var dns = new dev.berth.registry.network.RebindingResolver(Map.of("registry.test",
                    List.of(allowedAddress, dev.berth.registry.network.RebindingResolver.address("127.0.0.1"))));
            String host = "registry.test:" + allowed.port();
            var config = RegistryConfig.defaults().withInsecure(host).withTargets(policy);
            try (RegistryClient client = new RegistryClient(config, sleeps::add, Clock.systemUTC(), Duration.ofMillis(300), dns)) {
                ResolvedImage resolved = client.resolve(ref(host, "acme/web:v1"), HOST);
                assertThat(resolved.manifest().digest()).isEqualTo(web.image().manifest().digest());
                assertThat(allowed.requests("/manifests/")).as("the connection went to the checked address").hasSize(1);
                assertThat(dns.lookups("registry.test")).as("resolved once, by the tunnel").isEqualTo(1);

                // The next connection resolves again, gets 127.0.0.1 and is refused before any byte goes there.
                assertThatThrownBy(() -> client.fetchBlob(ref(host, "acme/web"), resolved.manifest().config()))
                        .isInstanceOf(RegistryException.class)
                        .hasMessage(host + ": 'registry.test' resolves to 127.0.0.1, a loopback address; Berth does not"
                                + " connect to loopback, private, link-local or its own addresses unless an administrator"
                                + " allows them (" + setting + ")");
            }
            assertThat(forbidden.accepted()).as("nothing reached 127.0.0.1").isZero();
            assertThat(allowed.requests("/blobs/")).isEmpty();
            assertThat(sleeps).as("a refusal is not retried").isEmpty();
        }
    }

    @Test
    void parallelDownloadsAreBoundedAndTheFirstFailureCancelsTheRest() throws IOException {
        proxy.delay("/blobs/", Duration.ofMillis(150));
        List<Descriptor> layers = many.image().layers();
        try (RegistryClient client = client(viaProxy().withParallelDownloads(2))) {
            client.downloadAll(ref(proxy.host(), "acme/many"), layers, this::layerPath, PullProgress.NONE);
            assertThat(proxy.maxConcurrentBlobRequests()).isEqualTo(2);
            for (Descriptor layer : layers) assertThat(layerPath(layer)).exists();
        }

        proxy.reset();
        proxy.delay("/blobs/", Duration.ofMillis(100)).failNext("/blobs/", 1, 404);
        Path elsewhere = dir.resolve("elsewhere");
        try (RegistryClient client = client(viaProxy().withParallelDownloads(2))) {
            assertThatThrownBy(() -> client.downloadAll(ref(proxy.host(), "acme/many"), layers,
                    d -> elsewhere.resolve(d.digest().substring(7)), PullProgress.NONE))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("not found");
        }
        assertThat(proxy.requests("/blobs/").size()).isLessThan(layers.size());
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void busyboxImageCarriesTheHostBinaryAndApplets() throws IOException {
        TestImages.Built built = TestImages.writeLayout(dir.resolve("busybox"), "1", TestImages.busybox().withCmd("sh"));
        TestImages.push(built.layout(), "1", registry.host(), "test/busybox:1", null);
        try (RegistryClient client = client(registry.clientConfig())) {
            ResolvedImage resolved = client.resolve(ref(registry.host(), "test/busybox:1"), HOST);
            Descriptor layer = resolved.manifest().layers().getFirst();
            client.download(resolved.reference(), layer, layerPath(layer), PullProgress.NONE);
            Map<String, TarArchiveEntry> entries = new java.util.LinkedHashMap<>();
            byte[] binary = null;
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                    new ByteArrayInputStream(Files.readAllBytes(layerPath(layer)))))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    entries.put(e.getName(), e);
                    if (e.getName().equals("bin/busybox")) binary = tar.readAllBytes();
                }
            }
            assertThat(binary).isEqualTo(Files.readAllBytes(Path.of("/bin/busybox")));
            assertThat(entries.get("bin/busybox").getMode()).isEqualTo(
                    (Integer) Files.getAttribute(Path.of("/bin/busybox"), "unix:mode") & 07777);
            for (String applet : List.of("sh", "echo", "cat", "httpd", "ls", "sleep", "id")) {
                assertThat(entries.get("bin/" + applet).isSymbolicLink()).isTrue();
                assertThat(entries.get("bin/" + applet).getLinkName()).isEqualTo("busybox");
            }
            assertThat(entries.get("tmp/").getMode()).isEqualTo(01777);
            assertThat(entries).containsKeys("etc/", "proc/", "sys/", "dev/");
            assertThat(entries.values()).allSatisfy(e -> assertThat(e.getLongUserId()).isZero());
        }
    }

    /** Random bytes (fixed seed), so the layer stays about this large after gzip. */
    static byte[] incompressible(int size) {
        byte[] b = new byte[size];
        new java.util.Random(42).nextBytes(b);
        return b;
    }

    Path layerPath(Descriptor d) {
        return dir.resolve("blobs").resolve(d.digest().substring("sha256:".length()));
    }

    List<Path> partials() throws IOException {
        if (!Files.exists(dir.resolve("blobs"))) return List.of();
        try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
