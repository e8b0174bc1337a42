package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.containernet.NetworkSettings;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Published ports of containers with a network, end to end on real runc, CNI and nftables: an
 * app listening on 0.0.0.0 is reached through the kernel (its port's DNAT chain counts the
 * connections), one listening on 127.0.0.1 alone through the relay, as before. Container subnet
 * 198.51.100.0/28; the agent's table is deleted at the end.
 */
class PublishedPortForwardAgentTest {
    private static final Path NFT = Path.of("/usr/sbin/nft");
    private Path work;
    private Path state;
    private Path rootfs;
    private AgentService agent;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/ptp")) && Files.isExecutable(NFT),
                "needs containernetworking-plugins and nftables");
        work = Files.createTempDirectory("berth-fwd-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        state = work.resolve("state");
        rootfs = Busybox.tree(work.resolve("busybox"), "sh", "echo", "httpd", "sleep");
        var settings = new NetworkSettings(NetworkSettings.subnet("198.51.100.0/28"), List.of());
        agent = AgentService.open(state, RuntimePrerequisites.RUNC, AgentOptions.defaults().withNetwork(settings));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (agent != null) {
                for (var c : agent.ps()) {
                    agent.stop(c.name(), Duration.ofSeconds(1));
                    agent.remove(c.name());
                }
                agent.close();
            }
        } finally {
            String table = AgentTag.of(state.toAbsolutePath().normalize()).firewallTable();
            if (nft("list", "tables").contains("table inet " + table + "\n")) nft("delete", "table", "inet", table);
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private ContainerSpec web(String name, String app, int hostPort, String listen) {
        return RunArguments.parse(List.of("--name", name, "--app", app, "--rootfs", rootfs.toString(), "--memory", "32Mi",
                "--tmpfs", "/www:1Mi", "--publish", "127.0.0.1:" + hostPort + ":8080", "--", "/bin/sh", "-c",
                "echo " + name + " > /www/index.html; exec httpd -f -p " + listen + "8080 -h /www"))
                .withNetwork(ContainerSpec.Network.NONE);
    }

    @Test
    void anAppOnItsInterfaceIsForwardedByTheKernelAndOneOnLoopbackAloneIsRelayed() throws Exception {
        int open = TestHttp.freePort();
        int loopbackOnly = TestHttp.freePort();
        agent.run(web("fwd-open", "open", open, ""));
        agent.run(web("fwd-lo", "lo", loopbackOnly, "127.0.0.1:"));
        String table = AgentTag.of(state.toAbsolutePath().normalize()).firewallTable();
        String chain = "pp_127_0_0_1_" + open;

        // Relayed until the probe finds httpd on the interface, forwarded from then on.
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!nft("list", "table", "inet", table).contains(chain) && System.nanoTime() < deadline) {
            assertThat(TestHttp.get(open)).contains("fwd-open");
            Thread.sleep(100);
        }
        assertThat(TestHttp.get(open)).contains("fwd-open");
        assertThat(nft("list", "chain", "inet", table, chain)).containsPattern("counter packets [1-9]");

        assertThat(TestHttp.get(loopbackOnly)).contains("fwd-lo");
        assertThat(nft("list", "table", "inet", table)).doesNotContain("pp_127_0_0_1_" + loopbackOnly);

        agent.stop("fwd-open", Duration.ofSeconds(1));
        agent.remove("fwd-open");
        assertThat(nft("list", "table", "inet", table)).doesNotContain(chain, "dnat ip to");
    }

    private static String nft(String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of(NFT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
