package dev.berth.agent.daemon;

import static dev.berth.agent.firewall.ForwardNetwork.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.firewall.ContainerRules;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.firewall.ForwardNetwork;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.registry.network.Cidr;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Published ports of containers with an interface of their own go through the kernel (DNAT in
 * the agent's table), with the promises of the relay: one port per app, replicas in turn, only
 * ready and admitted ones serving, admit switching in one step. The listener's count of accepted
 * connections shows what was relayed. Real namespaces ({@link ForwardNetwork}) and a table of the
 * test's own.
 */
class PublishedPortsForwardTest {
    private static final Path NFT = Path.of("/usr/sbin/nft");
    private final String table = "berthtest_pp" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
    private ForwardNetwork net;
    private Firewall firewall;
    private PublishedPorts ports;
    private final List<NamespaceDialer> dialers = new ArrayList<>();
    private PublishedPorts.Binding binding;

    @BeforeEach
    void wire() throws Exception {
        Assumptions.assumeTrue(ForwardNetwork.available(), "needs root and iproute2");
        net = new ForwardNetwork();
        firewall = Firewall.open(NFT, table, List.of(Cidr.parse(ForwardNetwork.SUBNET)));
        for (ForwardNetwork.Container c : List.of(net.a, net.b)) {
            firewall.apply(new ContainerRules(c.name(), c.hostVeth(), List.of(InetAddress.ofLiteral(c.address())), false,
                    List.of(), List.of()));
        }
        ports = new PublishedPorts("127.0.0.1", "127.0.0.1", () -> firewall);
        try (var probe = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            binding = new PublishedPorts.Binding("127.0.0.1", probe.getLocalPort());
        }
    }

    @AfterEach
    void unwire() throws Exception {
        try {
            if (ports != null) ports.close();
            dialers.forEach(NamespaceDialer::close);
        } finally {
            try {
                if (firewall != null) firewall.delete();
            } finally {
                if (net != null) net.close();
            }
        }
    }

    /**
     * Puts the container behind the port, its namespace dialed and, if {@code own}, its interface
     * known, ready; with an interface, waits until the probe found its app listening there.
     */
    private void start(ForwardNetwork.Container c, boolean admitted, boolean own) throws Exception {
        start(c, admitted, own, ForwardNetwork.PORT);
        if (own) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!ports.forwarding(c.name()) && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(ports.forwarding(c.name())).as("%s forwarded by the kernel", c.name()).isTrue();
        }
    }

    private void start(ForwardNetwork.Container c, boolean admitted, boolean own, int containerPort) throws Exception {
        ports.reserve(c.name(), "web", List.of(new PublishedPorts.Publish(binding, containerPort)), admitted);
        var dialer = new NamespaceDialer(c.netns(), c.name());
        dialers.add(dialer);
        ports.connect(c.name(), dialer, own ? new PublishedPorts.Interface(InetAddress.ofLiteral(c.address()), c.hostVeth()) : null);
        ports.ready(c.name(), true);
    }

    private String ask() throws Exception {
        return greeting(null, binding.address(), binding.port());
    }

    @Test
    void replicasWithAnInterfaceTakeConnectionsInTurnThroughTheKernelNotTheRelay() throws Exception {
        start(net.a, true, true);
        start(net.b, true, true);

        var answers = new ArrayList<String>();
        for (int i = 0; i < 4; i++) answers.add(ask());

        // Masqueraded to each interface's host address: the relay would have come from 127.0.0.1 inside the namespace.
        assertThat(answers).containsExactlyInAnyOrder("fwd-a " + net.a.gateway(), "fwd-b " + net.b.gateway(),
                "fwd-a " + net.a.gateway(), "fwd-b " + net.b.gateway());
        assertThat(ports.relayed(binding)).isZero();
        assertThat(ports.published(net.a.name()).getFirst().serving()).isTrue();
    }

    @Test
    void admitSwitchesOldToNewInOneStepAndAClientLoopLosesNothing() throws Exception {
        start(net.a, true, true);
        start(net.b, false, true);
        try (var open = new Socket(binding.address(), binding.port())) {
            var in = new BufferedReader(new InputStreamReader(open.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("fwd-a");
            assertThat(ports.active(net.a.name())).as("the open connection, counted by conntrack").isEqualTo(1);

            var loop = ForwardNetwork.askAcross(binding.address(), binding.port(), () -> {
                ports.admit(Map.of(net.a.name(), false, net.b.name(), true));
                return null;
            });

            assertThat(loop.answers()).allSatisfy(a -> assertThat(a).matches("fwd-[ab] .*"));
            assertThat(loop.after()).allSatisfy(a -> assertThat(a).startsWith("fwd-b"));
            assertThat(ports.relayed(binding)).isZero();
            // The old replica's open connection carries on through conntrack.
            open.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("still here");
        }
    }

    @Test
    void aReplicaThatIsNotReadyGetsNoNewConnections() throws Exception {
        start(net.a, true, true);
        start(net.b, true, true);
        ports.ready(net.b.name(), false);
        int probes = net.accepted(net.b); // the probe's connection found its app on its interface

        for (int i = 0; i < 4; i++) assertThat(ask()).startsWith("fwd-a");
        assertThat(net.accepted(net.b)).isEqualTo(probes);

        ports.ready(net.a.name(), false);
        assertThat(ask()).as("nothing serves: the listener takes the connection and closes it").isNull();
        assertThat(ports.relayed(binding)).isEqualTo(1);
    }

    @Test
    void aContainerWithoutAnInterfaceKeepsTheRelayAndSoDoItsSiblings() throws Exception {
        start(net.a, true, false);
        assertThat(ask()).isEqualTo("fwd-a 127.0.0.1");
        assertThat(ports.relayed(binding)).isEqualTo(1);

        start(net.b, true, true);
        var answers = new ArrayList<String>();
        for (int i = 0; i < 4; i++) answers.add(ask());
        assertThat(answers).containsExactlyInAnyOrder("fwd-a 127.0.0.1", "fwd-b 127.0.0.1", "fwd-a 127.0.0.1", "fwd-b 127.0.0.1");
        assertThat(ports.relayed(binding)).isEqualTo(5);
    }

    @Test
    void anAppListeningOn127001AloneKeepsTheRelay() throws Exception {
        net.serveOnLoopbackOnly(net.a, 8081);
        start(net.a, true, true, 8081);

        long deadline = System.nanoTime() + 5_000_000_000L;
        String answer = ask();
        while (!"fwd-a 127.0.0.1".equals(answer) && System.nanoTime() < deadline) answer = ask();
        assertThat(answer).as("relayed into the namespace's loopback").isEqualTo("fwd-a 127.0.0.1");
        Thread.sleep(300); // the probe has answered by now; it must not have switched the port to the kernel
        assertThat(ports.forwarding(net.a.name())).isFalse();
        assertThat(ask()).isEqualTo("fwd-a 127.0.0.1");
        assertThat(nft("list", "table", "inet", table)).doesNotContain("dnat ip to");
    }

    @Test
    void releasingTheLastReplicaLeavesNothingInTheTable() throws Exception {
        start(net.a, true, true);
        start(net.b, true, true);
        assertThat(ask()).startsWith("fwd-");

        ports.release(net.a.name());
        assertThat(ask()).startsWith("fwd-b");
        ports.release(net.b.name());

        String listing = nft("list", "table", "inet", table);
        assertThat(listing).doesNotContain("pp_", "dnat ip to", "198.51.100.2 . tcp", "198.51.100.4 . tcp");
        assertThat(ports.listening(binding)).isEmpty();
    }

    private static String nft(String... args) throws Exception {
        var command = new ArrayList<>(List.of(NFT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
