package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.image.StoreFull;
import dev.berth.agent.runtime.RuntimePrerequisites;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestImages.Entry;
import dev.berth.registry.TestImages.Layer;
import dev.berth.registry.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pull into a full disk, for real: the agent's state directory is a 48 MiB tmpfs the test
 * mounts, the images come from Debian's docker-registry on loopback, and a container started
 * before runs on real runc throughout. A pull that cannot fit fails saying which directory is full
 * and by how much, leaves the store as it found it, and works once there is room.
 */
class DiskFullPullTest {
    private static final String SIZE = "48m";
    private static TestRegistry registry;
    private static Path layouts;
    private static String web;
    /** A layer of random bytes larger than what is left: refused before anything is downloaded. */
    private static String bigBlob;
    /** A 30 MiB random layer: its blob fits, unpacked it does not. */
    private static String bigLayer;
    /** 64 MiB of zeros: a tiny blob whose unpacked file fills the disk. */
    private static String zeros;

    private Path work;
    private Path state;
    private boolean mounted;
    private AgentService agent;

    @BeforeAll
    static void startRegistry() throws Exception {
        RuntimePrerequisites.require();
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        layouts = Files.createTempDirectory("berth-diskfull-layouts");
        web = push("web", ImageAgentTest.webImage("still serving"));
        var random = new Random(14);
        bigBlob = push("big-blob", ImageAgentTest.webImage("big").withLayers(Layer.of(file("big/blob", bytes(random, 56)))));
        bigLayer = push("big-layer", ImageAgentTest.webImage("big").withLayers(Layer.of(file("big/layer", bytes(random, 30)))));
        zeros = push("zeros", ImageAgentTest.webImage("zeros").withLayers(Layer.of(file("big/zeros", new byte[64 << 20]))));
    }

    private static Entry.File file(String path, byte[] content) {
        return new Entry.File(path, content, 0644, 0, 0);
    }

    private static byte[] bytes(Random random, int mebibytes) {
        var b = new byte[mebibytes << 20];
        random.nextBytes(b);
        return b;
    }

    private static String push(String name, TestImages.Image image) throws IOException {
        var built = TestImages.writeLayout(layouts.resolve(name), "1", image);
        TestImages.push(built.layout(), "1", registry.host(), "acme/" + name + ":1", null);
        return registry.host() + "/acme/" + name + ":1";
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) registry.close();
        if (layouts != null) TestRegistry.deleteTree(layouts);
    }

    @BeforeEach
    void setUp() throws Exception {
        work = TestAgents.passableTempDirectory("berth-diskfull-");
        state = Files.createDirectory(work.resolve("state"));
        run("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0711", "berth-diskfull", state.toString());
        mounted = true;
        agent = AgentService.open(state, RuntimePrerequisites.RUNC, "127.0.0.1", registry.clientConfig());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            TestAgents.removeAllAndClose(agent);
        } finally {
            if (mounted) run("umount", "-l", state.toString());
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aPullThatDoesNotFitFailsClearlyLeavesNothingAndWorksOnceThereIsRoom() throws Exception {
        int port = TestHttp.freePort();
        agent.run(RunArguments.parse(List.of("--name", "web-1", "--app", "web", "--image", web,
                "--publish", "127.0.0.1:" + port + ":8080")));
        assertThat(TestHttp.get(port)).contains("still serving");
        Path images = state.resolve("images");
        var before = listing(state);

        // Its blobs alone need more than is left: refused before a byte is downloaded.
        long started = System.nanoTime();
        assertThatThrownBy(() -> agent.images().pull(bigBlob, quiet()))
                .isInstanceOfSatisfying(StoreFull.class, full -> {
                    assertThat(full.directory()).isEqualTo(images);
                    assertThat(full.needed()).isGreaterThan(56L << 20);
                    assertThat(full.left()).isLessThan(full.needed());
                })
                .hasMessageContaining(images + " has no room for " + bigBlob)
                .hasMessageContaining("its blobs need 56.0 MiB more, the filesystem has ")
                .hasMessageContaining("free space");
        System.out.println("refused in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        assertThat(listing(state)).isEqualTo(before);

        // The blob fits, unpacked it does not: the blob downloaded and the half-unpacked layer are gone again.
        assertThatThrownBy(() -> agent.images().pull(bigLayer, quiet()))
                .isInstanceOfSatisfying(StoreFull.class, full -> assertThat(full.directory()).isEqualTo(images))
                .hasMessageContaining(images + " is full: pulling " + bigLayer + " ran out of space")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("left after removing what the pull wrote");
        assertThat(listing(state)).isEqualTo(before);

        // A tiny blob that fills the disk when unpacked.
        assertThatThrownBy(() -> agent.images().pull(zeros, quiet())).isInstanceOf(StoreFull.class)
                .hasMessageContaining(images + " is full");
        assertThat(listing(state)).isEqualTo(before);

        // A container of an image that does not fit: its start fails for the same reason, leaving no rootfs and no container.
        assertThatThrownBy(() -> agent.run(RunArguments.parse(List.of("--name", "big-1", "--app", "big", "--image", bigLayer))))
                .hasMessageContaining(images + " is full");
        // The app keeps the id range it was given (as every app that ever had a container does), nothing else.
        assertThat(withoutAppBookkeeping(listing(state))).isEqualTo(withoutAppBookkeeping(before));
        assertThat(containers(state)).containsExactly("web-1");

        // The container started before never noticed.
        assertThat(TestHttp.get(port)).contains("still serving");
        assertThat(agent.ps()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("running"));
        assertThat(agent.images().list()).singleElement().satisfies(l -> assertThat(l.names()).containsExactly(web));

        // Room again: the same pulls succeed.
        run("mount", "-o", "remount,size=256m", state.toString());
        var pulled = agent.images().pull(bigLayer, quiet());
        assertThat(agent.images().rootfs(pulled).resolve("big/layer")).hasSize(30L << 20);
        agent.images().pull(zeros, quiet());
        assertThat(agent.images().list()).hasSize(3);
        assertThat(TestHttp.get(port)).contains("still serving");
    }

    /** Every path under {@code root} with its size (files) or a slash (directories), leaving out container logs. */
    private static TreeMap<String, String> listing(Path root) throws IOException {
        var out = new TreeMap<String, String>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                String name = root.relativize(p).toString();
                if (name.startsWith("containers/")) continue; // the running container's own files change as it runs
                var attributes = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                out.put(name, attributes.isDirectory() ? "/" : String.valueOf(attributes.size()));
            }
        }
        return out;
    }

    /** The listing without the apps' id ranges and the (empty) directory for containers' resolv.conf files. */
    private static TreeMap<String, String> withoutAppBookkeeping(TreeMap<String, String> listing) {
        var out = new TreeMap<>(listing);
        out.keySet().removeIf(name -> name.equals("id-ranges.json") || name.equals("network") || name.startsWith("network/"));
        return out;
    }

    private static List<String> containers(Path state) throws IOException {
        try (Stream<Path> dirs = Files.list(state.resolve("containers"))) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    private static ImageService.Progress quiet() {
        return (digest, done, total) -> {
        };
    }

    private static void run(String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
