package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.runtime.RuntimePrerequisites;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestImages.Entry;
import dev.berth.registry.TestImages.Layer;
import dev.berth.registry.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images end to end: built by the test, pushed with skopeo to Debian's docker-registry on
 * loopback, pulled and unpacked by the agent, and run on real runc with the full profile.
 */
class ImageAgentTest {
    private static TestRegistry registry;
    private static Path layouts;
    private static String web;

    private Path work;
    private AgentService agent;

    /** busybox, then a layer that adds a site and an account, removes an applet and sets the image's defaults. */
    static TestImages.Image webImage(String greeting) throws IOException {
        var site = Layer.of(
                Entry.dir("www"),
                Entry.file("www/index.html", greeting + "\n"),
                Entry.file("etc/passwd", "root:x:0:0:root:/:/bin/sh\nweb:x:1000:1000:web:/www:/bin/sh\n"),
                Entry.file("etc/group", "root:x:0:\nweb:x:1000:\n"),
                Entry.whiteout("bin/ls"));
        return TestImages.busybox().withLayers(site)
                .withEntrypoint("/bin/httpd", "-f")
                .withCmd("-p", "127.0.0.1:8080", "-h", "/www")
                .withEnv("PATH=/bin", "GREETING=" + greeting)
                .withWorkingDir("/www")
                .withUser("web")
                .withExposedPorts("8080/tcp");
    }

    @BeforeAll
    static void startRegistry() throws Exception {
        RuntimePrerequisites.require();
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        layouts = Files.createTempDirectory("berth-image-layouts");
        var built = TestImages.writeLayout(layouts.resolve("web"), "1", webImage("hello from an image"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/web:1", null);
        web = registry.host() + "/acme/web:1";
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) registry.close();
        if (layouts != null) TestRegistry.deleteTree(layouts);
    }

    @BeforeEach
    void setUp() throws Exception {
        work = TestAgents.passableTempDirectory("berth-image-test");
        agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC, "127.0.0.1", registry.clientConfig());
    }

    @AfterEach
    void tearDown() throws Exception {
        TestAgents.removeAllAndClose(agent);
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static final class Recorded implements ImageService.Progress {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void blob(String digest, long done, long total) {
            if (done == total) events.add("done " + digest);
        }

        @Override
        public void unpacking(int index, int count, String digest) {
            events.add("unpack " + index + "/" + count);
        }
    }

    @Test
    void aPulledImageRunsWithItsDefaultsAndTheWholeProfile() throws Exception {
        var progress = new Recorded();
        var image = agent.images().pull(web, progress);
        assertThat(image.layers()).hasSize(2);
        assertThat(progress.events).contains("unpack 1/2", "unpack 2/2")
                .contains("done " + image.layers().get(0).digest(), "done " + image.layers().get(1).digest());

        int port = TestHttp.freePort();
        var info = agent.run(RunArguments.parse(List.of("--name", "web-1", "--app", "web", "--image", web,
                "--memory", "64Mi", "--publish", "127.0.0.1:" + port + ":8080")));
        assertThat(info.status()).isEqualTo("running");
        assertThat(TestHttp.get(port)).contains("hello from an image");

        var inspection = agent.inspect("web-1");
        assertThat(inspection.isolation().items()).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());
        assertThat(agent.exec("web-1", List.of("/bin/id")).output()).contains("uid=1000(web) gid=1000(web)");
        // The second layer's whiteout removed /bin/ls (busybox's shell would still run it as a built-in applet).
        assertThat(agent.exec("web-1", List.of("/bin/sh", "-c", "pwd; echo $GREETING; [ -e /bin/ls ] && echo ls-present || echo ls-gone; "
                + "[ -e /bin/cat ] && echo cat-present")).output())
                .contains("/www", "hello from an image", "ls-gone", "cat-present");
        assertThat(agent.exec("web-1", List.of("/bin/sh", "-c", "echo x > /www/index.html; echo write=$?")).output())
                .contains("Read-only file system").contains("write=1");

        // The stored spec pins the digest, so a moved tag never changes what a restart runs.
        assertThat(Files.readString(work.resolve("state/containers/web-1/spec.json"))).contains(web + "@" + image.digest());
    }

    @Test
    void runPullsAMissingImageAndASecondAppReusesTheSnapshots() throws Exception {
        assertThat(agent.images().list()).isEmpty();
        int port = TestHttp.freePort();
        agent.run(RunArguments.parse(List.of("--name", "web-a", "--app", "a", "--image", web,
                "--publish", "127.0.0.1:" + port + ":8080")));
        assertThat(TestHttp.get(port)).contains("hello from an image");
        assertThat(agent.images().list()).singleElement().satisfies(l -> assertThat(l.names()).containsExactly(web));

        Path snapshots = work.resolve("state/images/snapshots");
        long before;
        try (Stream<Path> s = Files.list(snapshots)) {
            before = s.count();
        }
        agent.run(RunArguments.parse(List.of("--name", "web-b", "--app", "b", "--image", web, "--",
                "/bin/sh", "-c", "id; sleep 30")));
        try (Stream<Path> s = Files.list(snapshots)) {
            assertThat(s.count()).as("no layer unpacked twice").isEqualTo(before);
        }
        assertThat(agent.exec("web-b", List.of("/bin/id")).output()).contains("uid=1000(web)");
    }

    @Test
    void removalRefusesWhatAContainerUsesAndGcKeepsIt() throws Exception {
        var image = agent.images().pull(web, new Recorded());
        agent.run(RunArguments.parse(List.of("--name", "web-1", "--app", "web", "--image", web, "--", "/bin/sleep", "30")));

        assertThatThrownBy(() -> agent.removeImage(web)).hasMessageContaining("is used by container 'web-1'");
        var collected = agent.collectGarbage();
        assertThat(collected.blobs()).isEmpty();
        assertThat(collected.snapshots()).isEmpty();
        assertThat(agent.exec("web-1", List.of("/bin/echo", "still here")).output()).contains("still here");

        agent.stop("web-1", Duration.ofSeconds(1));
        agent.remove("web-1");
        assertThat(agent.removeImage(web)).containsExactly(web, image.digest());
        collected = agent.collectGarbage();
        assertThat(collected.blobs()).contains(image.digest(), image.config().digest(), image.layers().get(0).digest());
        assertThat(collected.snapshots()).containsExactlyInAnyOrderElementsOf(image.chain());
        assertThat(collected.shiftedRootfs()).hasSize(1);
        try (Stream<Path> blobs = Files.list(work.resolve("state/images/blobs/sha256"));
             Stream<Path> snaps = Files.list(work.resolve("state/images/snapshots"))) {
            assertThat(blobs.toList()).isEmpty();
            assertThat(snaps.toList()).isEmpty();
        }
        assertThat(agent.images().list()).isEmpty();
    }

    @Test
    void anImportedLayoutRunsWithoutARegistry() throws Exception {
        var built = TestImages.writeLayout(work.resolve("layout"), "2", webImage("imported"));
        var imported = agent.images().importLayout(built.layout(), "acme/offline", new Recorded());
        assertThat(imported).singleElement().satisfies(r -> assertThat(r.digest()).isEqualTo(built.image().manifest().digest()));
        assertThat(agent.images().names(imported.getFirst())).containsExactly("registry-1.docker.io/acme/offline:2");

        int port = TestHttp.freePort();
        agent.run(RunArguments.parse(List.of("--name", "offline", "--app", "offline", "--image", "acme/offline:2",
                "--publish", "127.0.0.1:" + port + ":8080")));
        assertThat(TestHttp.get(port)).contains("imported");

        // The same layout as a tar, under a name of its own: the blobs are already here, so only the name is new.
        Path tar = work.resolve("layout.tar");
        assertThat(new ProcessBuilder("tar", "-cf", tar.toString(), "-C", built.layout().toString(), ".").inheritIO().start().waitFor())
                .isZero();
        var fromTar = agent.images().importLayout(tar, "127.0.0.1:5999/acme/offline", new Recorded());
        assertThat(fromTar.getFirst().digest()).isEqualTo(imported.getFirst().digest());
        assertThat(agent.images().names(fromTar.getFirst()))
                .containsExactlyInAnyOrder("registry-1.docker.io/acme/offline:2", "127.0.0.1:5999/acme/offline:2");
    }

    @Test
    void anImportedTarWithACorruptBlobLeavesNothing() throws Exception {
        var built = TestImages.writeLayout(work.resolve("layout"), "3", webImage("corrupt"));
        Path layer = built.layout().resolve("blobs/sha256").resolve(built.image().layers().get(1).digest().substring(7));
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length / 2] ^= 1;
        Files.write(layer, bytes);
        Path tar = work.resolve("layout.tar");
        var tarCommand = new ArrayList<>(List.of("tar", "-cf", tar.toString(), "-C", built.layout().toString(), "."));
        assertThat(new ProcessBuilder(tarCommand).inheritIO().start().waitFor()).isZero();

        assertThatThrownBy(() -> agent.images().importLayout(tar, "acme/corrupt", new Recorded()))
                .hasMessageContaining("blob " + built.image().layers().get(1).digest() + " has digest sha256:");
        assertThat(agent.images().list()).isEmpty();
        try (Stream<Path> snaps = Files.list(work.resolve("state/images/snapshots"))) {
            assertThat(snaps.toList()).isEmpty();
        }
    }
}
