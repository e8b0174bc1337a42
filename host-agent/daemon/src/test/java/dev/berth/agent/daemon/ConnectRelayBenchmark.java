package dev.berth.agent.daemon;

import static dev.berth.agent.daemon.ConnectsAgentTest.HOST;
import static dev.berth.agent.daemon.ConnectsAgentTest.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Await;
import dev.berth.agent.net.NamespaceDialer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a connect's blocking relay costs: 64 MiB from a replica's busybox httpd, fetched from inside
 * the consumer's namespace through its connect (as the app would), beside the same fetch made
 * straight into the replica's namespace (no relay), by this JVM through {@link NamespaceDialer}s.
 * Prints medians; asserts nothing about speed. A baseline for the splice relay. Not part of the suite (surefire excludes *Benchmark):
 * <pre>./mvnw -o -q -pl host-agent/daemon -am test -Dtest=ConnectRelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ConnectRelayBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 7);
    private static final long BIG = 64L << 20;

    @Test
    void relayBesideLoopback() throws Exception {
        RuntimePrerequisites.require();
        Path work = Files.createTempDirectory("berth-connect-bench");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        var agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC, ConnectsAgentTest.options());
        try {
            BusyboxImage.importInto(agent, work);
            var db = ConnectsAgentTest.db("db-1", "/bin/busybox dd if=/dev/zero of=/www/big bs=1M count=" + (BIG >> 20) + " 2>/dev/null; ",
                    384L << 20, 96L << 20);
            agent.apply(new Assignment(Assignment.VERSION, HOST, 1, List.of(db, ConnectsAgentTest.api("api-1")),
                    List.of(new ConnectTarget("acme.db", "pg", List.of(ConnectsAgentTest.here("db-1")))), List.of()));
            Await.until(() -> agent.assignmentsIdle() && agent.connectsListening().contains("api-1")
                    && agent.statuses().stream().anyMatch(s -> s.name().equals("db-1") && "healthy".equals(s.health())));
            double relayed;
            double direct;
            try (var consumer = dialer(agent, "api-1"); var replica = dialer(agent, "db-1")) {
                relayed = median(consumer, LOCAL);
                direct = median(replica, 5432);
            }
            System.out.printf("connect relay: 64 MiB in %.0f ms (%.0f MiB/s) through the connect; %.0f ms (%.0f MiB/s) on the replica's own loopback%n",
                    relayed, 64_000 / relayed, direct, 64_000 / direct);
        } finally {
            agent.apply(new Assignment(Assignment.VERSION, HOST, Long.MAX_VALUE, List.of()));
            Await.until(() -> agent.assignmentsIdle() && agent.ps().isEmpty());
            agent.close();
            ConnectsAgentTest.deleteFirewall(work.resolve("state"));
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static NamespaceDialer dialer(AgentService agent, String container) throws Exception {
        long pid = agent.ps().stream().filter(c -> c.name().equals(container)).findFirst().orElseThrow().pid();
        return new NamespaceDialer(Path.of("/proc", Long.toString(pid), "ns", "net"), "bench-" + container);
    }

    /** Median milliseconds of connecting, asking for the big file and reading it to the end. */
    private static double median(NamespaceDialer dialer, int port) throws Exception {
        var millis = new ArrayList<Double>();
        var buffer = ByteBuffer.allocateDirect(256 * 1024);
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            long read = 0;
            try (var c = dialer.dial(port)) {
                c.write(ByteBuffer.wrap("GET /big HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                for (int n; (n = c.read(buffer)) >= 0; buffer.clear()) read += n;
            }
            millis.add((System.nanoTime() - t0) / 1e6);
            assertThat(read).isGreaterThan(BIG);
        }
        millis.sort(null);
        return millis.get(RUNS / 2);
    }
}
