package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.network.Cidr;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real packets through the firewall: a client in a container namespace wired like CNI ptp, servers
 * in an "internet" namespace at TEST-NET-3 and on the host's gateway address (see {@link TestNetwork}).
 */
class FirewallPacketTest {
    private static final String CONTAINER = "fw-packets.1";
    private final TestTable table = new TestTable();
    private TestNetwork net;
    private Firewall firewall;

    @BeforeEach
    void wire() throws Exception {
        Assumptions.assumeTrue(TestNetwork.available(), "needs root and iproute2");
        net = new TestNetwork();
        firewall = table.open(List.of(Cidr.parse(net.subnet)));
        net.serveInInternet(8080);
        net.serveInInternet(8081);
        net.serveOnHost(net.gateway, 8082);
        net.serveOnHost(net.gateway, 53);
    }

    @AfterEach
    void unwire() throws Exception {
        table.cleanUp(net);
    }

    private void apply(boolean publicEgress, List<Destination> allowed) throws Exception {
        firewall.apply(new ContainerRules(CONTAINER, net.hostVeth, List.of(InetAddress.ofLiteral(net.container)),
                publicEgress, allowed, List.of(InetAddress.ofLiteral(net.gateway))));
    }

    /** The firewall counted at least one TCP packet of the container to {@code address:port}. */
    private void assertRefused(String address, int port) throws Exception {
        assertThat(firewall.refusals()).anySatisfy(r -> {
            assertThat(r.container()).isEqualTo(CONTAINER);
            assertThat(r.destination()).isEqualTo(InetAddress.ofLiteral(address));
            assertThat(r.protocol()).isEqualTo("tcp");
            assertThat(r.port()).isEqualTo(port);
            assertThat(r.packets()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void theHostForwards() throws Exception {
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo("1");
    }

    @Test
    void withoutTheTableEverythingIsReachableSoTheRefusalsBelowAreTheFirewalls() throws Exception {
        net.serveInContainer(9090);
        firewall.delete();

        assertThat(net.containerReaches(net.internet, 8081)).isTrue();
        assertThat(net.containerReaches(net.gateway, 8082)).isTrue();
        assertThat(net.internetReaches(net.container, 9090)).isTrue();
    }

    @Test
    void nothingOpensAConnectionIntoAContainer() throws Exception {
        net.serveInContainer(9090);
        apply(true, List.of());

        assertThat(net.internetReaches(net.container, 9090)).isFalse();
        assertThat(net.containerReaches(net.internet, 8080)).as("while its own connections get their replies").isTrue();
    }

    @Test
    void publicEgressReachesTheInternetButNotTheHost() throws Exception {
        apply(true, List.of());

        assertThat(net.containerReaches(net.internet, 8080)).isTrue();
        assertThat(net.containerPings(net.internet)).isTrue();
        assertThat(net.containerReaches(net.gateway, 8082)).isFalse();
        assertThat(net.containerReaches(net.gateway, 53)).as("DNS to its resolver").isTrue();
        assertRefused(net.gateway, 8082);
    }

    @Test
    void withoutEgressNothingPassesAndEachRefusalIsCounted() throws Exception {
        apply(false, List.of());

        // Side by side: each refusal waits out its timeout.
        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        probes.put("tcp to the internet", () -> net.containerReaches(net.internet, 8080));
        probes.put("no DNS when nothing is reachable", () -> net.containerReaches(net.gateway, 53));
        probes.put("icmp to the internet", () -> net.containerPings(net.internet));
        assertThat(TestNetwork.reached(probes)).as("probes that got through").isEmpty();
        assertRefused(net.internet, 8080);
        assertThat(firewall.refusals()).anySatisfy(r -> assertThat(r).usingRecursiveComparison().ignoringFields("packets")
                .isEqualTo(new Refusal(CONTAINER, InetAddress.ofLiteral(net.internet), "icmp", 0, 1)));
    }

    @Test
    void anAllowedDestinationPassesOnItsPortOnly() throws Exception {
        apply(false, List.of(new Destination(Cidr.parse(net.internet + "/32"), 8080)));

        assertThat(net.containerReaches(net.internet, 8080)).isTrue();
        assertThat(net.containerReaches(net.internet, 8081)).isFalse();
        assertThat(net.containerReaches(net.gateway, 53)).as("DNS, since something is reachable").isTrue();
        assertThat(firewall.refusals()).extracting(Refusal::port).contains(8081).doesNotContain(8080);
    }

    @Test
    void aContainerWhoseRulesAreGoneReachesNothing() throws Exception {
        apply(true, List.of());
        assertThat(net.containerReaches(net.internet, 8080)).isTrue();

        firewall.remove(CONTAINER);

        var probes = new LinkedHashMap<String, Callable<Boolean>>();
        probes.put("tcp to the internet", () -> net.containerReaches(net.internet, 8080));
        probes.put("DNS", () -> net.containerReaches(net.gateway, 53));
        assertThat(TestNetwork.reached(probes)).as("probes that got through").isEmpty();
        assertThat(firewall.refusals()).isEmpty();
    }
}
