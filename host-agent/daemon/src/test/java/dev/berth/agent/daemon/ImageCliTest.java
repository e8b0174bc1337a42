package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.runtime.RuntimePrerequisites;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code berth-agent image ...} and {@code run --image} through a daemon in its own JVM. */
class ImageCliTest {
    private TestRegistry registry;
    private Path work;
    private Path state;
    private Process daemon;
    private String web;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        work = Files.createTempDirectory("berth-image-cli-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        var built = TestImages.writeLayout(work.resolve("layout"), "1", ImageAgentTest.webImage("served by the cli"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/web:1", null);
        web = registry.host() + "/acme/web:1";
        state = work.resolve("state");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            TestDaemon.cli(state, "stop", "-t", "1", "web-1");
            TestDaemon.cli(state, "rm", "web-1");
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        if (registry != null) registry.close();
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void pullListRunRemoveCollect() throws Exception {
        daemon = TestDaemon.start(state, work.resolve("daemon.log"), work, "--publish-address", "127.0.0.1",
                "--insecure-registry", registry.host());

        var pull = TestDaemon.cli(state, "image", "pull", web);
        assertThat(pull.exit()).as(pull.err()).isZero();
        assertThat(pull.out()).startsWith("pulled " + web + " sha256:");
        assertThat(pull.err()).as("progress per layer").contains("done").contains("unpacking layer 2 of 2");

        var ls = TestDaemon.cli(state, "image", "ls");
        assertThat(ls.out()).contains("DIGEST").contains(web).contains("just now");
        assertThat(TestDaemon.cli(state, "image", "inspect", web).out()).contains("\"entrypoint\"").contains("/bin/httpd");

        int port = TestHttp.freePort();
        var run = TestDaemon.cli(state, "run", "--name", "web-1", "--app", "web", "--image", web, "--publish", port + ":8080");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(TestHttp.get(port)).contains("served by the cli");

        var refused = TestDaemon.cli(state, "image", "rm", web);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("is used by container 'web-1'; remove the container first");

        TestDaemon.cli(state, "stop", "-t", "1", "web-1");
        TestDaemon.cli(state, "rm", "web-1");
        assertThat(TestDaemon.cli(state, "image", "rm", web).exit()).isZero();
        var gc = TestDaemon.cli(state, "image", "gc");
        assertThat(gc.exit()).isZero();
        assertThat(gc.out()).contains("\"blobs\"").contains("sha256:");
        assertThat(TestDaemon.cli(state, "image", "ls").out().lines().count()).isEqualTo(1);
    }

    @Test
    void plainHttpOnlyForListedRegistriesAndBadReferencesAreNamed() throws Exception {
        daemon = TestDaemon.start(state, work.resolve("daemon.log"), work, "--publish-address", "127.0.0.1");

        var https = TestDaemon.cli(state, "image", "pull", web);
        assertThat(https.exit()).isEqualTo(1);
        assertThat(https.err()).contains(registry.host()).contains("--insecure-registry");
        assertThat(TestDaemon.cli(state, "image", "ls").out().lines().count()).as("nothing recorded").isEqualTo(1);

        var bad = TestDaemon.cli(state, "image", "pull", "Acme/Web:1");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("has a path component 'Web' that is not lowercase");

        var usage = TestDaemon.cli(state, "run", "--name", "x", "--image", web, "--rootfs", "/tmp");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("give exactly one of --rootfs DIR and --image REF");

        var flag = TestDaemon.cli(state, "daemon", "--insecure-registry", "http://x");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).contains("'http://x' is not a registry HOST or HOST:PORT");
    }
}
