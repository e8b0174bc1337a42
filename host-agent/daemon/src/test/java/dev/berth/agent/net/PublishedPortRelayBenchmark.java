package dev.berth.agent.net;

import static dev.berth.agent.net.RelayBench.BYTES;
import static dev.berth.agent.net.RelayBench.MESSAGE;
import static dev.berth.agent.net.RelayBench.RUNS;
import static dev.berth.agent.net.RelayBench.TRIPS;
import static dev.berth.agent.net.RelayBench.inNamespace;
import static dev.berth.agent.net.RelayBench.run;

import dev.berth.agent.net.RelayBench.Case;
import dev.berth.agent.net.RelayBench.Servers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Published-port relaying on 127.0.0.1: bulk throughput (a sink) and 1 KiB request/response
 * latency (an echo), each through a direct connection, the old heap-copy relay and the splice
 * relay, both relays being a real {@link PortListener} dialing through a {@link NamespaceDialer}.
 * The cases take turns round by round ({@link RelayBench#compare}). CPU per GiB is the whole JVM's
 * (client, relay and server).
 * Then the same with the servers inside a network namespace the benchmark creates (the direct
 * client runs in it too). Prints tables; asserts nothing about speed. Not part of the suite:
 * <pre>./mvnw -o -q -pl host-agent/daemon -am test -Dtest=PublishedPortRelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.mib=1024 -Dbench.runs=5 -Dbench.trips=20000 -Dbench.pipes=262144
 * -Dbench.netns=true}; {@code bench.pipes} takes a comma-separated list of pipe sizes to compare.
 */
class PublishedPortRelayBenchmark {
    private static final boolean NETNS = Boolean.parseBoolean(System.getProperty("bench.netns", "true"));
    private static final int[] PIPES = Arrays.stream(System.getProperty("bench.pipes", String.valueOf(Splicer.PIPE_BYTES))
            .split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();

    @Test
    void relayBesideDirect() throws Exception {
        System.out.println();
        System.out.printf("splice available: %s; %d MiB per throughput run, %d rounds; %d round trips of %d bytes%n",
                ChannelDescriptor.available(), BYTES >> 20, RUNS, TRIPS, MESSAGE);
        measure("loopback", null);
        if (NETNS) {
            String name = "berthbench-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                run("ip", "netns", "add", name);
                run("ip", "-n", name, "link", "set", "lo", "up");
                measure("into a network namespace", Path.of("/run/netns", name));
            } finally {
                run("ip", "netns", "del", name);
            }
        }
    }

    private void measure(String where, Path netns) throws Exception {
        Path dialInto = netns != null ? netns : Path.of("/proc/self/ns/net");
        var closing = new ArrayList<AutoCloseable>();
        try (var servers = inNamespace(netns, Servers::start);
                var dialer = new NamespaceDialer(dialInto, "bench")) {
            var cases = new ArrayList<Case>();
            cases.add(new Case("direct (baseline)", netns, servers.sinkAddress(), servers.echoAddress()));
            var relays = new ArrayList<Relay>();
            var names = new ArrayList<String>();
            relays.add(Relay.copying());
            names.add("copy relay (before)");
            for (int pipe : PIPES) {
                relays.add(Relay.splicing(pipe));
                names.add("splice relay, " + (pipe >> 10) + " KiB pipe");
            }
            for (int i = 0; i < relays.size(); i++) {
                var sink = listener(dialer, servers.sink(), relays.get(i));
                var echo = listener(dialer, servers.echo(), relays.get(i));
                closing.add(sink);
                closing.add(echo);
                cases.add(new Case(names.get(i), null, sink.address(), echo.address()));
            }
            RelayBench.compare("Relay, " + where, cases);
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    private static PortListener listener(NamespaceDialer dialer, ServerSocketChannel server, Relay relay) throws IOException {
        var pool = new BackendPool<PortListener.Target>();
        pool.add("bench", new PortListener.Target(dialer, ((InetSocketAddress) server.getLocalAddress()).getPort()));
        pool.ready("bench", true);
        return new PortListener(new InetSocketAddress("127.0.0.1", 0), pool, relay);
    }
}
