package dev.berth.agent.daemon;

import static dev.berth.agent.daemon.ConnectsAgentTest.HOST;
import static dev.berth.agent.daemon.ConnectsAgentTest.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Await;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.agent.runtime.RuntimePrerequisites;
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
 * What a connect's blocking relay costs: a consumer fetches a 64 MiB file from a replica on the
 * same host through its connect, beside the replica fetching it from itself (no relay), each with
 * the same busybox httpd and nc, and a tiny fetch subtracted for runc exec. Prints medians; asserts
 * nothing about speed. A baseline for the splice relay. Not part of the suite (surefire excludes *Benchmark):
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
        var options = AgentOptions.defaults().withPublishAddress("127.0.0.1", null).withStopGrace(Duration.ofMillis(300));
        var agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC, options);
        try {
            BusyboxImage.importInto(agent, work);
            var db = ConnectsAgentTest.db("db-1", "/bin/busybox dd if=/dev/zero of=/www/big bs=1M count=" + (BIG >> 20) + " 2>/dev/null; ",
                    384L << 20, 96L << 20);
            agent.apply(new Assignment(Assignment.VERSION, HOST, 1, List.of(db, ConnectsAgentTest.api("api-1")),
                    List.of(new ConnectTarget("acme.db", "pg", List.of(ConnectsAgentTest.here("db-1")))), List.of()));
            Await.until(() -> agent.assignmentsIdle() && agent.connectsListening().contains("api-1")
                    && agent.statuses().stream().anyMatch(s -> s.name().equals("db-1") && "healthy".equals(s.health())));
            double relayed = median(agent, "api-1", LOCAL);
            double direct = median(agent, "db-1", 5432);
            System.out.printf("connect relay: 64 MiB in %.0f ms (%.0f MiB/s) through the connect; %.0f ms (%.0f MiB/s) on the replica's own loopback%n",
                    relayed, 64_000 / relayed, direct, 64_000 / direct);
        } finally {
            agent.apply(new Assignment(Assignment.VERSION, HOST, Long.MAX_VALUE, List.of()));
            Await.until(() -> agent.assignmentsIdle() && agent.ps().isEmpty());
            agent.close();
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Median milliseconds of fetching the big file, less the median of a tiny fetch (runc exec and connecting). */
    private static double median(AgentService agent, String container, int port) throws Exception {
        var big = new ArrayList<Double>();
        var tiny = new ArrayList<Double>();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            var r = ConnectsAgentTest.fetch(agent, container, port, "/big", " | /bin/busybox wc -c");
            big.add((System.nanoTime() - t0) / 1e6);
            assertThat(Long.parseLong(r.output().strip())).as(r.output()).isGreaterThan(BIG);
            long t1 = System.nanoTime();
            ConnectsAgentTest.fetch(agent, container, port, "/index.html", " | /bin/busybox wc -c");
            tiny.add((System.nanoTime() - t1) / 1e6);
        }
        big.sort(null);
        tiny.sort(null);
        return big.get(RUNS / 2) - tiny.get(RUNS / 2);
    }
}
