package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.GuardedNetwork.HOST_EXTRA;
import static dev.berth.agent.firewall.GuardedNetwork.METADATA;
import static dev.berth.agent.firewall.GuardedNetwork.PRIVATE;
import static dev.berth.agent.firewall.GuardedNetwork.ping;
import static dev.berth.agent.firewall.GuardedNetwork.tcp;
import static dev.berth.agent.firewall.GuardedNetwork.udp;
import static dev.berth.agent.firewall.TestNetwork.reached;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.network.Cidr;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What public egress must still refuse, with real packets (see {@link GuardedNetwork}): the cloud
 * metadata address, private addresses, the host's own addresses and the other containers. Each
 * refusal is checked twice: the sender hears nothing, and the server the packet would have landed
 * on saw nothing arrive.
 */
class FirewallGuardsTest {
    private static final int PORT = 7000;
    private final TestTable table = new TestTable();
    private GuardedNetwork net;
    private Firewall firewall;
    private GuardedNetwork.Container a;
    private GuardedNetwork.Container b;

    @BeforeEach
    void wire() throws Exception {
        Assumptions.assumeTrue(TestNetwork.available(), "needs root and iproute2");
        net = new GuardedNetwork();
        a = net.a;
        b = net.b;
        firewall = table.open(List.of(Cidr.parse(GuardedNetwork.SUBNET)));
        for (String address : List.of(net.internet, METADATA, PRIVATE)) {
            net.serve(net.internetNs, address, PORT);
            net.serve(net.internetNs, address, 53);
        }
        net.serve(net.internetNs, METADATA, 80);
    }

    @AfterEach
    void unwire() throws Exception {
        table.cleanUp(net);
    }

    private void publicEgress(GuardedNetwork.Container c, String name) throws Exception {
        firewall.apply(new ContainerRules(name, c.hostVeth(), List.of(InetAddress.ofLiteral(c.address())),
                true, List.of(), List.of(InetAddress.ofLiteral(c.gateway()))));
    }

    private void assertRefused(String container, String address, String protocol, int port) throws Exception {
        assertThat(firewall.refusals()).as("refusals of %s", container).anySatisfy(r -> {
            assertThat(r.container()).isEqualTo(container);
            assertThat(r.destination()).isEqualTo(InetAddress.ofLiteral(address));
            assertThat(r.protocol()).isEqualTo(protocol);
            assertThat(r.port()).isEqualTo(port);
            assertThat(r.packets()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void withoutTheFirewallEveryGuardedAddressAnswersSoTheRefusalsBelowAreTheFirewalls() throws Exception {
        int onHost = net.serve(null, HOST_EXTRA, 0);
        int onB = net.serve(b.ns(), b.address(), PORT);
        firewall.delete();

        assertThat(tcp(a.ns(), HOST_EXTRA, onHost)).isTrue();
        assertThat(udp(a.ns(), HOST_EXTRA, onHost)).isTrue();
        assertThat(tcp(a.ns(), b.address(), onB)).isTrue();
        assertThat(udp(a.ns(), PRIVATE, 53)).isTrue();

        assertThat(tcp(a.ns(), METADATA, 80)).isTrue();
        assertThat(udp(a.ns(), METADATA, PORT)).isTrue();
        assertThat(ping(a.ns(), METADATA)).isTrue();
        assertThat(tcp(a.ns(), PRIVATE, PORT)).isTrue();
        assertThat(net.arrived("tcp", METADATA, 80)).isEqualTo(1);
        assertThat(net.arrived("udp", METADATA, PORT)).isEqualTo(1);
    }

    @Test
    void theMetadataAddressAndPrivateAddressesAreRefusedDespitePublicEgress() throws Exception {
        publicEgress(a, "guard-a");

        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        for (String address : List.of(METADATA, PRIVATE)) {
            probes.put("tcp " + address, () -> tcp(a.ns(), address, PORT));
            probes.put("udp " + address, () -> udp(a.ns(), address, PORT));
            probes.put("icmp " + address, () -> ping(a.ns(), address));
        }
        probes.put("tcp " + METADATA + ":80", () -> tcp(a.ns(), METADATA, 80));
        assertThat(reached(probes)).as("probes that got through").isEmpty();
        for (String address : List.of(METADATA, PRIVATE)) {
            assertThat(net.arrived("tcp", address, PORT)).isZero();
            assertThat(net.arrived("udp", address, PORT)).isZero();
            assertRefused("guard-a", address, "tcp", PORT);
            assertRefused("guard-a", address, "udp", PORT);
            assertRefused("guard-a", address, "icmp", 0);
        }
        assertThat(net.arrived("tcp", METADATA, 80)).isZero();
        assertRefused("guard-a", METADATA, "tcp", 80);
    }

    @Test
    void theHostsOwnAddressesAreRefusedDespitePublicEgress() throws Exception {
        int loopback = net.serve(null, "127.0.0.1", 0);
        int gateway = net.serve(null, a.gateway(), 0);
        int extra = net.serve(null, HOST_EXTRA, 0);
        int internetSide = net.serve(null, net.internetGateway, 0);
        int otherGateway = net.serve(null, b.gateway(), 0);
        publicEgress(a, "guard-a");

        // 127.0.0.1 in the container is its own loopback; the host's listener must hear nothing either way.
        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        probes.put("tcp 127.0.0.1", () -> tcp(a.ns(), "127.0.0.1", loopback));
        probes.put("udp 127.0.0.1", () -> udp(a.ns(), "127.0.0.1", loopback));
        var hostAddresses = List.of(List.of(a.gateway(), gateway), List.of(HOST_EXTRA, extra),
                List.of(net.internetGateway, internetSide), List.of(b.gateway(), otherGateway));
        for (List<?> target : hostAddresses) {
            String address = (String) target.get(0);
            int port = (Integer) target.get(1);
            probes.put("tcp " + address + ":" + port, () -> tcp(a.ns(), address, port));
            probes.put("udp " + address + ":" + port, () -> udp(a.ns(), address, port));
        }
        probes.put("icmp " + HOST_EXTRA, () -> ping(a.ns(), HOST_EXTRA));
        assertThat(reached(probes)).as("probes that got through").isEmpty();
        assertThat(net.arrived("tcp", "127.0.0.1", loopback)).isZero();
        assertThat(net.arrived("udp", "127.0.0.1", loopback)).isZero();
        for (List<?> target : hostAddresses) {
            String address = (String) target.get(0);
            int port = (Integer) target.get(1);
            assertThat(net.arrived("tcp", address, port)).isZero();
            assertThat(net.arrived("udp", address, port)).isZero();
            assertRefused("guard-a", address, "tcp", port);
            assertRefused("guard-a", address, "udp", port);
        }
        assertRefused("guard-a", HOST_EXTRA, "icmp", 0);
    }

    @Test
    void twoContainersWithPublicEgressDoNotReachEachOther() throws Exception {
        int onA = net.serve(a.ns(), a.address(), PORT);
        int onB = net.serve(b.ns(), b.address(), PORT);
        publicEgress(a, "guard-a");
        publicEgress(b, "guard-b");

        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        probes.put("tcp a to b", () -> tcp(a.ns(), b.address(), onB));
        probes.put("udp a to b", () -> udp(a.ns(), b.address(), onB));
        probes.put("icmp a to b", () -> ping(a.ns(), b.address()));
        probes.put("tcp b to a", () -> tcp(b.ns(), a.address(), onA));
        probes.put("udp b to a", () -> udp(b.ns(), a.address(), onA));
        probes.put("icmp b to a", () -> ping(b.ns(), a.address()));
        assertThat(reached(probes)).as("probes that got through").isEmpty();
        assertThat(net.arrived("tcp", b.address(), onB)).isZero();
        assertThat(net.arrived("udp", b.address(), onB)).isZero();
        assertThat(net.arrived("tcp", a.address(), onA)).isZero();
        assertThat(net.arrived("udp", a.address(), onA)).isZero();
        // Both still reach the internet: the refusals above are not a dead network.
        assertThat(tcp(a.ns(), net.internet, PORT)).isTrue();
        assertThat(tcp(b.ns(), net.internet, PORT)).isTrue();
    }

    @Test
    void udpReachesTheInternetButDnsOnlyItsOwnResolvers() throws Exception {
        int resolver = net.serve(null, a.gateway(), 53);
        int otherResolver = net.serve(null, HOST_EXTRA, 53);
        publicEgress(a, "guard-a");

        assertThat(udp(a.ns(), net.internet, PORT)).isTrue();
        assertThat(net.arrived("udp", net.internet, PORT)).isEqualTo(1);
        assertThat(udp(a.ns(), a.gateway(), resolver)).as("its resolver").isTrue();
        // Public egress is every public address, but DNS only to its resolvers: a public server on
        // port 53 is refused, over UDP and TCP, while the same server's other ports answer.
        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        probes.put("a private resolver not in its list", () -> udp(a.ns(), PRIVATE, 53));
        probes.put("another of the host's addresses", () -> udp(a.ns(), HOST_EXTRA, otherResolver));
        probes.put("a public DNS server over UDP", () -> udp(a.ns(), net.internet, 53));
        probes.put("a public DNS server over TCP", () -> tcp(a.ns(), net.internet, 53));
        assertThat(reached(probes)).as("probes that got through").isEmpty();
        assertThat(net.arrived("udp", PRIVATE, 53)).isZero();
        assertThat(net.arrived("udp", HOST_EXTRA, otherResolver)).isZero();
        assertRefused("guard-a", PRIVATE, "udp", 53);
        assertRefused("guard-a", HOST_EXTRA, "udp", 53);
        assertThat(net.arrived("udp", net.internet, 53)).isZero();
        assertThat(net.arrived("tcp", net.internet, 53)).isZero();
        assertRefused("guard-a", net.internet, "udp", 53);
        assertRefused("guard-a", net.internet, "tcp", 53);
        assertThat(tcp(a.ns(), net.internet, PORT)).isTrue();
    }
}
