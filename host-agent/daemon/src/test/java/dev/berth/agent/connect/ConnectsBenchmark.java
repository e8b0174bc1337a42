package dev.berth.agent.connect;

import static dev.berth.agent.net.RelayBench.BYTES;
import static dev.berth.agent.net.RelayBench.MESSAGE;
import static dev.berth.agent.net.RelayBench.RUNS;
import static dev.berth.agent.net.RelayBench.TRIPS;
import static dev.berth.agent.net.RelayBench.inNamespace;
import static dev.berth.agent.net.RelayBench.run;

import dev.berth.agent.net.RelayBench;
import dev.berth.agent.net.RelayBench.Case;
import dev.berth.agent.net.RelayBench.Servers;
import dev.berth.agent.peer.PeerClient;
import dev.berth.agent.peer.PeerCredentials;
import dev.berth.agent.peer.PeerServer;
import dev.berth.agent.peer.TestCa;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * App-to-app {@code connects} beside a direct connection, on this machine: bulk throughput (a
 * sink) and 1 KiB request/response latency (an echo) of servers in a "producer" network namespace,
 * reached (1) directly on the producer's own loopback (the baseline), (2) directly from a
 * "consumer" namespace over a veth pair (a reference: what apps would get if they could talk to
 * each other, which Berth does not allow), (3) from the consumer's {@code 127.0.0.1:local}
 * through a real {@link Connects} to a replica on the same host (spliced) and (4) the same to a
 * replica on "another host": agent A's {@link Connects} dials through a {@link PeerClient}, mutual
 * TLS 1.3 with certificates of a test CA, to agent B's {@link PeerServer}, which dials the replica
 * through agent B's own {@link Connects} (copied on both agents). Both agents run in this JVM and
 * the peer link runs over 127.0.0.1; the namespaces are held by {@code sleep} processes, standing
 * in for containers. Cases take turns round by round ({@link RelayBench#compare}). Prints a table;
 * asserts nothing about speed. Not part of the suite (surefire excludes *Benchmark):
 * <pre>./mvnw -o -q -pl host-agent/daemon -am test -Dtest=ConnectsBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Case (5), with {@code -Dbench.kernel=true} (the default): the same local replica, the kernel
 * forwarding web-1's connects as the agent has it do ({@link KernelWiring}: both namespaces behind
 * veths to the host, MTU 65535, the host's table in one of the benchmark's own; a {@link Connects}
 * with its kernel part writes the consumer's table and the host's path).
 * Options: {@code -Dbench.mib=1024 -Dbench.runs=5 -Dbench.trips=20000 -Dbench.message=1024 -Dbench.veth=true -Dbench.kernel=true}.
 */
class ConnectsBenchmark {
    private static final boolean VETH = Boolean.parseBoolean(System.getProperty("bench.veth", "true"));
    private static final boolean KERNEL = Boolean.parseBoolean(System.getProperty("bench.kernel", "true"));
    private static final String HOST_A = "h-benchconsumer";
    private static final String HOST_B = "h-benchproducer";
    private static final String CONSUMER_APP = "bench.web";
    private static final String LOCAL_APP = "bench.local";
    private static final String REMOTE_APP = "bench.remote";
    /** TEST-NET-2, inside the two namespaces only. */
    private static final String CONSUMER_ADDRESS = "198.51.100.113";
    private static final String PRODUCER_ADDRESS = "198.51.100.114";

    @Test
    void connectsBesideDirect() throws Exception {
        System.out.println();
        System.out.printf("%d MiB per throughput run, %d rounds; %d round trips of %d bytes%n", BYTES >> 20, RUNS, TRIPS, MESSAGE);
        String id = UUID.randomUUID().toString().substring(0, 3);
        String consumerNs = "berthbench-" + id + "-consumer";
        String producerNs = "berthbench-" + id + "-producer";
        String consumerVeth = "berthbench-" + id + "c";
        String producerVeth = "berthbench-" + id + "p";
        var holders = new ArrayList<Process>();
        try {
            for (String ns : List.of(consumerNs, producerNs)) {
                run("ip", "netns", "add", ns);
                run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            if (VETH) {
                run("ip", "link", "add", consumerVeth, "type", "veth", "peer", "name", producerVeth);
                run("ip", "link", "set", consumerVeth, "netns", consumerNs);
                run("ip", "link", "set", producerVeth, "netns", producerNs);
                run("ip", "-n", consumerNs, "addr", "add", CONSUMER_ADDRESS + "/28", "dev", consumerVeth);
                run("ip", "-n", producerNs, "addr", "add", PRODUCER_ADDRESS + "/28", "dev", producerVeth);
                run("ip", "-n", consumerNs, "link", "set", consumerVeth, "up");
                run("ip", "-n", producerNs, "link", "set", producerVeth, "up");
            }
            long consumerPid = holdNamespace(consumerNs, holders);
            long producerPid = holdNamespace(producerNs, holders);
            Path consumer = Path.of("/run/netns", consumerNs);
            Path producer = Path.of("/run/netns", producerNs);
            try (var kernel = KERNEL ? new KernelWiring(id, consumer, producer) : null) {
                measure(consumer, producer, consumerPid, producerPid, kernel);
            }
        } finally {
            for (Process p : holders) {
                p.destroy();
                p.waitFor();
            }
            for (String ns : List.of(consumerNs, producerNs)) quietly("ip", "netns", "del", ns); // takes the veth pair along
            if (VETH) quietly("ip", "link", "del", consumerVeth); // only there when moving it failed
        }
    }

    private static void measure(Path consumerNs, Path producerNs, long consumerPid, long producerPid, KernelWiring kernel)
            throws Exception {
        var ca = new TestCa("Berth bench CA");
        var wildcard = InetAddress.getByName("0.0.0.0");
        try (var servers = inNamespace(producerNs, () -> Servers.start(VETH || kernel != null ? wildcard : InetAddress.getByName("127.0.0.1")))) {
            int sinkPort = servers.sinkAddress().getPort();
            int echoPort = servers.echoAddress().getPort();
            OptionalLong producer = OptionalLong.of(producerPid);

            // Agent B: serves its replica "api-b" (the producer namespace) to peers through its peer listener.
            var grants = List.of(
                    new ConnectGrant(REMOTE_APP, "sink", CONSUMER_APP, List.of(HOST_A), Map.of("api-b", sinkPort)),
                    new ConnectGrant(REMOTE_APP, "echo", CONSUMER_APP, List.of(HOST_A), Map.of("api-b", echoPort)));
            try (var agentB = new Connects(c -> c.equals("api-b") ? producer : OptionalLong.empty(), new NoPeerLink(), List::of,
                    Connects.DIAL_TIMEOUT);
                    var peerListener = PeerServer.start(new InetSocketAddress("127.0.0.1", 0), new PeerCredentials(ca.identity(HOST_B)),
                            () -> grants, c -> c.equals("api-b")
                                    ? Optional.of(new PeerServer.Replica(REMOTE_APP, port -> agentB.dialServing(c, port)))
                                    : Optional.empty(),
                            PeerServer.DEFAULT_REQUEST_TIMEOUT, System.err)) {
                agentB.assigned(new Assignment(Assignment.VERSION, HOST_B, 1, List.of(), List.of(), grants));

                // Agent A: its container "web-1" (the consumer namespace) connects to a local replica "api-a" and to "api-b" on host B.
                String peerAddress = "127.0.0.1:" + peerListener.address().getPort();
                var connects = List.of(new ContainerSpec.Connect(LOCAL_APP, "sink", 7001), new ContainerSpec.Connect(LOCAL_APP, "echo", 7002),
                        new ContainerSpec.Connect(REMOTE_APP, "sink", 7003), new ContainerSpec.Connect(REMOTE_APP, "echo", 7004));
                var targets = List.of(
                        new ConnectTarget(LOCAL_APP, "sink", List.of(new ConnectTarget.Backend(HOST_A, "api-a", sinkPort, null))),
                        new ConnectTarget(LOCAL_APP, "echo", List.of(new ConnectTarget.Backend(HOST_A, "api-a", echoPort, null))),
                        new ConnectTarget(REMOTE_APP, "sink", List.of(new ConnectTarget.Backend(HOST_B, "api-b", sinkPort, peerAddress))),
                        new ConnectTarget(REMOTE_APP, "echo", List.of(new ConnectTarget.Backend(HOST_B, "api-b", echoPort, peerAddress))));
                var consumer = new Connects.Consumer("web-1", CONSUMER_APP, consumerPid, connects);
                // Agent K: as agent A, but with the kernel's forwarding (KernelConnects), for web-1's connects on 7005 and 7006.
                var kernelConsumer = new Connects.Consumer("web-1", CONSUMER_APP, consumerPid,
                        List.of(new ContainerSpec.Connect(LOCAL_APP, "sink", 7005), new ContainerSpec.Connect(LOCAL_APP, "echo", 7006)),
                        kernel == null ? null : kernel.consumer);
                try (var agentA = new Connects(c -> c.equals("api-a") ? producer : OptionalLong.empty(),
                        new PeerClient(new PeerCredentials(ca.identity(HOST_A))), () -> List.of(consumer), Connects.DIAL_TIMEOUT);
                     var agentK = kernel == null ? null : new Connects(kernel.replicas("api-a", producerPid), new NoPeerLink(),
                             () -> List.of(kernelConsumer), Connects.DIAL_TIMEOUT, () -> kernel.firewall)) {
                    agentA.assigned(new Assignment(Assignment.VERSION, HOST_A, 1, List.of(), targets, List.of()));
                    agentA.sync();
                    if (!agentA.listening().contains("web-1")) throw new IOException("agent A does not listen for web-1's connects");
                    if (agentK != null) {
                        agentK.assigned(new Assignment(Assignment.VERSION, HOST_A, 1, List.of(), targets, List.of()));
                        agentK.sync();
                        if (agentK.forwarded("web-1").size() != 2) throw new IOException("the kernel does not forward web-1's connects");
                    }

                    var cases = new ArrayList<Case>();
                    cases.add(new Case("direct, producer's own loopback (baseline)", producerNs,
                            new InetSocketAddress("127.0.0.1", sinkPort), new InetSocketAddress("127.0.0.1", echoPort)));
                    if (VETH) {
                        cases.add(new Case("direct, consumer → producer over a veth (no isolation)", consumerNs,
                                new InetSocketAddress(PRODUCER_ADDRESS, sinkPort), new InetSocketAddress(PRODUCER_ADDRESS, echoPort)));
                    }
                    cases.add(new Case("connects, local replica (splice)", consumerNs,
                            new InetSocketAddress("127.0.0.1", 7001), new InetSocketAddress("127.0.0.1", 7002)));
                    if (agentK != null) {
                        cases.add(new Case("connects, local replica (kernel DNAT)", consumerNs,
                                new InetSocketAddress("127.0.0.1", 7005), new InetSocketAddress("127.0.0.1", 7006)));
                    }
                    cases.add(new Case("connects, remote replica (mutual TLS 1.3)", consumerNs,
                            new InetSocketAddress("127.0.0.1", 7003), new InetSocketAddress("127.0.0.1", 7004)));
                    RelayBench.compare("Connects, all on this machine", cases);
                }
            }
        }
    }

    /** Starts a process inside {@code ns}, standing in for a container's: its pid is what the agent enters. */
    private static long holdNamespace(String ns, List<Process> holders) throws Exception {
        var process = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "3600").redirectErrorStream(true).start();
        holders.add(process);
        Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        Path theirs = Path.of("/proc", Long.toString(process.pid()), "ns", "net");
        long deadline = System.nanoTime() + 5_000_000_000L;
        // ip netns exec enters the namespace, then becomes sleep: the same process.
        while (Files.readSymbolicLink(theirs).equals(own)) {
            if (System.nanoTime() > deadline || !process.isAlive()) throw new IOException("no process holds namespace " + ns);
            Thread.sleep(10);
        }
        return process.pid();
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException | InterruptedException ignored) {
            // cleaning up what may not exist
        }
    }
}
