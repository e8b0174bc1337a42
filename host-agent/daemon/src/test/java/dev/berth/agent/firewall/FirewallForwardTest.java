package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.ForwardNetwork.CLIENT;
import static dev.berth.agent.firewall.ForwardNetwork.HOST_SIDE;
import static dev.berth.agent.firewall.ForwardNetwork.PORT;
import static dev.berth.agent.firewall.ForwardNetwork.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.network.Cidr;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Published ports forwarded by the kernel ({@link Firewall#forward}) with real packets: from the
 * host itself (127.0.0.1 included) and from another host, in turn over the serving containers,
 * switched in one step, and gone without a trace once removed. A listener on the published port
 * stands for the agent's relay: whatever it accepts was not forwarded.
 */
class FirewallForwardTest {
    private final TestTable table = new TestTable();
    private ForwardNetwork net;
    private Firewall firewall;
    private ServerSocket relay;
    private final AtomicInteger relayed = new AtomicInteger();

    @BeforeEach
    void wire() throws Exception {
        Assumptions.assumeTrue(ForwardNetwork.available(), "needs root and iproute2");
        net = new ForwardNetwork();
        firewall = table.open(List.of(Cidr.parse(ForwardNetwork.SUBNET)));
        for (ForwardNetwork.Container c : List.of(net.a, net.b)) {
            firewall.apply(new ContainerRules(c.name(), c.hostVeth(), List.of(InetAddress.ofLiteral(c.address())), true,
                    List.of(), List.of()));
            RouteLocalnet.enable(c.hostVeth());
        }
        relay = new ServerSocket(0, 50, InetAddress.ofLiteral("127.0.0.1"));
        ForwardNetwork.answer(relay, "relay", relayed);
    }

    @AfterEach
    void unwire() throws Exception {
        if (relay != null) relay.close();
        table.cleanUp(net);
    }

    private static Inet4Address v4(String literal) {
        return (Inet4Address) InetAddress.ofLiteral(literal);
    }

    private static InetSocketAddress at(ForwardNetwork.Container c) {
        return new InetSocketAddress(InetAddress.ofLiteral(c.address()), PORT);
    }

    private int port() {
        return relay.getLocalPort();
    }

    @Test
    void aPortOn127001ReachesTheContainerThroughTheKernelAndTheListenerHearsNothing() throws Exception {
        firewall.forward(List.of(new PortForward(v4("127.0.0.1"), port(), List.of(at(net.a)), List.of())));

        // The container sees its interface's host address: masqueraded, not the relay's 127.0.0.1 in its namespace.
        assertThat(greeting(null, "127.0.0.1", port())).isEqualTo("fwd-a " + net.a.gateway());
        assertThat(relayed.get()).isZero();
        assertThat(table.listChain("pp_127_0_0_1_" + port())).containsPattern("counter packets [1-9]");

        firewall.forward(List.of(PortForward.none(v4("127.0.0.1"), port())));

        assertThat(greeting(null, "127.0.0.1", port())).isEqualTo("relay");
        assertThat(relayed.get()).isEqualTo(1);
        String listing = table.list();
        assertThat(listing).doesNotContain("pp_", "198.51.100.2 .", "dnat ip to");
    }

    @Test
    void aWildcardPortTakesOtherHostsAndTheHostInTurnOverTheServingContainers() throws Exception {
        firewall.forward(List.of(new PortForward(null, port(), List.of(at(net.a), at(net.b)), List.of())));

        var answers = new ArrayList<String>();
        for (int i = 0; i < 4; i++) answers.add(greeting(net.clientNs, HOST_SIDE, port()));
        assertThat(answers).containsExactlyInAnyOrder("fwd-a " + CLIENT, "fwd-b " + CLIENT, "fwd-a " + CLIENT, "fwd-b " + CLIENT);
        assertThat(greeting(null, HOST_SIDE, port())).startsWith("fwd-");
        assertThat(greeting(null, "127.0.0.1", port())).startsWith("fwd-");
        assertThat(relayed.get()).isZero();
    }

    @Test
    void aMemberThatDoesNotServeGetsNoNewConnections() throws Exception {
        firewall.forward(List.of(new PortForward(null, port(), List.of(at(net.b)), List.of(at(net.a), at(net.b)))));

        for (int i = 0; i < 4; i++) assertThat(greeting(net.clientNs, HOST_SIDE, port())).isEqualTo("fwd-b " + CLIENT);
        assertThat(net.accepted(net.a)).isZero();
    }

    @Test
    void switchingOldToNewLosesNoConnectionAndOpenOnesCarryOn() throws Exception {
        var old = new PortForward(v4("127.0.0.1"), port(), List.of(at(net.a)), List.of(at(net.a), at(net.b)));
        firewall.forward(List.of(old));
        try (var open = new Socket("127.0.0.1", port())) {
            var in = new BufferedReader(new InputStreamReader(open.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("fwd-a");

            var next = new PortForward(v4("127.0.0.1"), port(), List.of(at(net.b)), List.of(at(net.a), at(net.b)));
            var loop = ForwardNetwork.askAcross("127.0.0.1", port(), () -> {
                firewall.forward(List.of(next));
                return null;
            });

            assertThat(loop.answers()).allSatisfy(a -> assertThat(a).matches("fwd-[ab] .*"));
            assertThat(loop.after()).allSatisfy(a -> assertThat(a).startsWith("fwd-b"));
            assertThat(relayed.get()).isZero();

            open.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("still here");
        }
    }

    @Test
    void reopeningTheFirewallForgetsEveryForward() throws Exception {
        firewall.forward(List.of(new PortForward(null, port(), List.of(at(net.a)), List.of()),
                new PortForward(v4("127.0.0.1"), port() + 1, List.of(at(net.a)), List.of())));
        // Every reader of the table copes with the forwards' maps (their keys are no interfaces).
        assertThat(firewall.containers()).containsExactlyInAnyOrder(net.a.name(), net.b.name());
        assertThat(firewall.refusals()).isNotNull();
        assertThat(firewall.describe(net.a.name())).contains("container fwd-a");
        firewall.remove(net.b.name());

        Firewall reopened = table.open(List.of(Cidr.parse(ForwardNetwork.SUBNET)));

        assertThat(table.list()).doesNotContain("pp_any", "dnat ip to");
        assertThat(greeting(null, "127.0.0.1", port())).isEqualTo("relay");
        reopened.forward(List.of(new PortForward(null, port(), List.of(at(net.b)), List.of())));
        assertThat(greeting(null, "127.0.0.1", port())).startsWith("fwd-b");
    }

    @Test
    void aContainerReachesNoLoopbackServiceOfTheHostThroughItsInterfaceThoughRouteLocalnetIsOnThere() throws Exception {
        var hostService = new ServerSocket(0, 50, InetAddress.ofLiteral("127.0.0.99"));
        var arrived = new AtomicInteger();
        ForwardNetwork.answer(hostService, "host", arrived);
        try (hostService) {
            net.routeLoopbackToHost(net.a, "127.0.0.99");
            firewall.delete();
            // Without the table the host answers: route_localnet on the host side lets 127.0.0.99 in from the container.
            assertThat(greeting(net.a.ns(), "127.0.0.99", hostService.getLocalPort())).isEqualTo("host");
            assertThat(arrived.get()).isEqualTo(1);

            firewall = table.open(List.of(Cidr.parse(ForwardNetwork.SUBNET)));
            firewall.apply(new ContainerRules(net.a.name(), net.a.hostVeth(), List.of(InetAddress.ofLiteral(net.a.address())), true,
                    List.of(), List.of(InetAddress.ofLiteral(net.a.gateway()))));
            firewall.forward(List.of(new PortForward(null, hostService.getLocalPort(), List.of(at(net.b)), List.of())));

            assertThat(greeting(net.a.ns(), "127.0.0.99", hostService.getLocalPort())).isNull();
            assertThat(arrived.get()).isEqualTo(1);
            assertThat(net.accepted(net.b)).isZero();
            assertThat(firewall.refusals()).anySatisfy(r -> {
                assertThat(r.container()).isEqualTo(net.a.name());
                assertThat(r.destination()).isEqualTo(InetAddress.ofLiteral("127.0.0.99"));
                assertThat(r.port()).isEqualTo(hostService.getLocalPort());
            });
        }
    }

    @Test
    void aContainerReachesNoPublishedPortThroughTheHostsAddressesSoNoOtherContainer() throws Exception {
        firewall.forward(List.of(new PortForward(null, port(), List.of(at(net.b)), List.of())));

        // The three refusals side by side: each waits out its timeout.
        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        for (String address : List.of(net.a.gateway(), HOST_SIDE)) {
            probes.put(address, () -> greeting(net.a.ns(), address, port()) != null);
        }
        // Nor directly: the exception for forwarded connections is no way in from a container.
        probes.put("b directly", () -> greeting(net.a.ns(), net.b.address(), PORT) != null);
        assertThat(TestNetwork.reached(probes)).as("probes that got an answer").isEmpty();
        for (String address : List.of(net.a.gateway(), HOST_SIDE)) {
            assertThat(firewall.refusals()).anySatisfy(r -> {
                assertThat(r.container()).isEqualTo(net.a.name());
                assertThat(r.destination()).isEqualTo(InetAddress.ofLiteral(address));
                assertThat(r.port()).isEqualTo(port());
            });
        }
        assertThat(net.accepted(net.b)).isZero();
        assertThat(greeting(net.clientNs, HOST_SIDE, port())).isEqualTo("fwd-b " + CLIENT);
    }
}
