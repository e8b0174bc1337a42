package dev.berth.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.agent.runtime.RuntimePrerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's CNI reference plugins (bridge with host-local addresses, then portmap-free loopback)
 * run through {@link CniPlugins} against a network namespace this test creates. The bridge's
 * subnet is TEST-NET-2 (198.51.100.0/24), which no real network uses; no packet leaves the host.
 */
class CniPluginsTest {
    static final Path PLUGINS = Path.of("/usr/lib/cni");
    private static final Path IP = Path.of("/usr/sbin/ip");

    @TempDir
    Path leases;
    private String namespace;
    private String bridge;
    private final CniPlugins cni = new CniPlugins(List.of(PLUGINS), Duration.ofSeconds(20));

    @BeforeEach
    void createNamespace() throws Exception {
        RuntimePrerequisites.require();
        String missing = !Files.isExecutable(PLUGINS.resolve("bridge")) ? PLUGINS + "/bridge is missing: apt-get install containernetworking-plugins"
                : !Files.isExecutable(IP) ? IP + " is missing: apt-get install iproute2" : null;
        if (missing != null) {
            if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(missing + " (BERTH_REQUIRE_RUNTIME=1)");
            Assumptions.abort(missing);
        }
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);
        namespace = "berth-cni-" + suffix;
        bridge = "bcni" + suffix;
        ip("netns", "add", namespace);
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (namespace != null) run(IP.toString(), "netns", "delete", namespace);
        if (bridge != null) run(IP.toString(), "link", "delete", bridge);
    }

    private CniNetwork network() {
        return new CniNetwork("berth-test", "1.0.0", List.of(
                Map.of("type", "bridge", "bridge", bridge, "isGateway", true, "ipMasq", false,
                        "ipam", Map.of("type", "host-local", "dataDir", leases.toString(),
                                "ranges", List.of(List.of(Map.of("subnet", "198.51.100.0/24"))))),
                Map.of("type", "loopback")));
    }

    private CniPlugins.Attachment attachment() {
        return new CniPlugins.Attachment("berth-test-1", Path.of("/run/netns", namespace), "eth0");
    }

    @Test
    void addGivesTheContainerAnAddressCheckConfirmsItAndDelTakesEverythingBack() throws Exception {
        var result = cni.add(network(), attachment());

        assertThat(result.addresses()).singleElement().satisfies(a -> {
            assertThat(a.address()).startsWith("198.51.100.").endsWith("/24");
            assertThat(a.gateway()).isEqualTo("198.51.100.1");
        });
        String address = result.addresses().getFirst().address();
        assertThat(ip("netns", "exec", namespace, "ip", "-4", "-o", "addr", "show", "dev", "eth0")).contains(address);
        assertThat(ip("netns", "exec", namespace, "ip", "-o", "link", "show", "dev", "lo")).contains("UP");
        assertThat(leaseFiles()).as("host-local records the lease").isNotEmpty();

        cni.check(network(), attachment(), result);

        cni.del(network(), attachment(), result);
        assertThat(run(IP.toString(), "netns", "exec", namespace, "ip", "-o", "link", "show", "dev", "eth0"))
                .as("the interface is gone").contains("does not exist");
        assertThat(leaseFiles()).as("the lease is released").isEmpty();
        // DEL twice is fine: a crash between them must not wedge cleanup.
        cni.del(network(), attachment(), result);
        cni.del(network(), attachment(), null);
    }

    @Test
    void checkReportsAnInterfaceRemovedBehindItsBack() throws Exception {
        var result = cni.add(network(), attachment());
        ip("netns", "exec", namespace, "ip", "link", "delete", "eth0");
        assertThatThrownBy(() -> cni.check(network(), attachment(), result))
                .isInstanceOf(CniFailure.class).hasMessageContaining("CNI CHECK failed in plugin 'bridge'");
        cni.del(network(), attachment(), result);
    }

    @Test
    void aPluginsOwnErrorComesBackWithItsCodeAndMessage() {
        var bad = new CniNetwork("berth-test", "1.0.0", List.of(Map.of("type", "bridge", "bridge", bridge,
                "ipam", Map.of("type", "host-local", "dataDir", leases.toString(),
                        "ranges", List.of(List.of(Map.of("subnet", "not-a-subnet")))))));
        assertThatThrownBy(() -> cni.add(bad, attachment()))
                .isInstanceOfSatisfying(CniFailure.class, e -> {
                    assertThat(e.plugin()).isEqualTo("bridge");
                    assertThat(e.code()).isPositive();
                })
                .hasMessageContaining("not-a-subnet");
    }

    @Test
    void aMissingPluginIsNamedWithWhatToInstall() {
        var missing = new CniNetwork("berth-test", "1.0.0", List.of(Map.of("type", "no-such-plugin")));
        assertThatThrownBy(() -> cni.add(missing, attachment()))
                .isInstanceOf(CniFailure.class)
                .hasMessage("CNI ADD failed in plugin 'no-such-plugin': no executable named 'no-such-plugin' in /usr/lib/cni"
                        + " (apt-get install containernetworking-plugins)");
    }

    private List<Path> leaseFiles() throws IOException {
        try (Stream<Path> files = Files.walk(leases)) {
            // host-local keeps one file per leased address, named after it, beside its lock and last-reserved files.
            return files.filter(f -> f.getFileName().toString().startsWith("198.51.100.")).toList();
        }
    }

    private static String ip(String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(IP.toString());
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static String run(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }
}
