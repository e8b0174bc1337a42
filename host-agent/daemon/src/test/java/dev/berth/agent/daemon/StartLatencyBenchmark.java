package dev.berth.agent.daemon;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.containernet.NetworkSettings;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Start latency from "spec received" ({@link AgentService#run} called) to "process running"
 * (it returns), beside bare {@code runc run -d} of the very same bundle, in the same run. Prints
 * p50 and p95; asserts nothing about speed. Not part of the suite (surefire excludes *Benchmark):
 * <pre>./mvnw -o -q -pl host-agent/daemon -am test -Dtest=StartLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.runs=N}; for the networked one also {@code -Dbench.pause=MS} after each removal.
 */
class StartLatencyBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 60);

    @Test
    void agentStartBesideBareRunc() throws Exception {
        RuntimePrerequisites.require();
        Path work = Files.createTempDirectory("berth-bench");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path rootfs = Busybox.tree(work.resolve("busybox"), "sleep");
        try (var agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC)) {
            var agentMillis = new ArrayList<Double>();
            var bareMillis = new ArrayList<Double>();
            boolean secondStartShifted = false;
            for (int i = 0; i < RUNS + 5; i++) {
                var spec = RunArguments.parse(List.of("--name", "bench-" + i, "--app", "bench", "--rootfs", rootfs.toString(),
                        "--memory", "32Mi", "--", "/bin/sleep", "600"));
                long t0 = System.nanoTime();
                agent.run(spec);
                double agentMs = (System.nanoTime() - t0) / 1e6;
                if (i == 1) {
                    // The second start of the app must reuse the shifted rootfs: one cache entry, built once.
                    try (var entries = Files.list(work.resolve("state/rootfs"))) {
                        secondStartShifted = entries.count() != 1;
                    }
                }
                Path bundle = work.resolve("state/containers/bench-" + i + "/bundle");
                String bareId = "bare-" + i;
                long t1 = System.nanoTime();
                var p = new ProcessBuilder(RuntimePrerequisites.RUNC.toString(), "--root", work.resolve("bare-runc").toString(),
                        "run", "-d", "--bundle", bundle.toString(), bareId)
                        .redirectOutput(work.resolve("bare.log").toFile()).redirectErrorStream(true).start();
                p.waitFor(60, TimeUnit.SECONDS);
                double bareMs = (System.nanoTime() - t1) / 1e6;
                if (p.exitValue() != 0) throw new AssertionError("bare runc failed: " + Files.readString(work.resolve("bare.log")));
                if (i >= 5) { // the first few warm up the JIT and the caches of both
                    agentMillis.add(agentMs);
                    bareMillis.add(bareMs);
                }
                new ProcessBuilder(RuntimePrerequisites.RUNC.toString(), "--root", work.resolve("bare-runc").toString(),
                        "delete", "--force", bareId).start().waitFor();
                agent.stop("bench-" + i, Duration.ZERO);
                agent.remove("bench-" + i);
            }
            double a50 = percentile(agentMillis, 50);
            double a95 = percentile(agentMillis, 95);
            double b50 = percentile(bareMillis, 50);
            double b95 = percentile(bareMillis, 95);
            System.out.println();
            System.out.printf("Container start latency, %d runs each (ms)%n", agentMillis.size());
            System.out.println("| | p50 | p95 |");
            System.out.println("|---|---|---|");
            System.out.printf("| bare `runc run -d` (baseline) | %.1f | %.1f |%n", b50, b95);
            System.out.printf("| berth-agent run (spec to running) | %.1f | %.1f |%n", a50, a95);
            System.out.printf("| ratio / difference at p50 | %.2fx | %+.1f ms |%n", a50 / b50, a50 - b50);
            System.out.println("second start of the app shifted ownership again: " + secondStartShifted);
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The cost of a network as a rollout sees it: starts with {@code Network.NONE} (veth, address,
     * rules, resolv.conf, the hook's round trip) beside starts without one, in one agent, in turns.
     * One container of the app runs throughout (a rollout keeps the old replica), so its networked
     * starts are warm: each takes the spare network made after the one before. Cold starts are of
     * another app whose last container was removed before, so it has no spare (its root filesystem
     * is shifted already: only the network is cold). First starts are of a new app each time, with
     * and without a network: its root filesystem is shifted into the app's new id range, as on an
     * app's first start on a host (where an image is usually pulled as well), and the network's
     * setup runs beside that. The subnet is a /28 of TEST-NET-2 and egress
     * is none: no packet leaves the containers.
     */
    @Test
    void networkedStartBesidePlain() throws Exception {
        RuntimePrerequisites.require();
        int runs = Integer.getInteger("bench.runs", 20);
        // A pause after each removal keeps the kernel's asynchronous teardown of the last container out of the next start.
        long pauseMillis = Long.getLong("bench.pause", 0);
        Path work = Files.createTempDirectory("berth-bench-net");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path rootfs = Busybox.tree(work.resolve("busybox"), "sleep");
        Path state = work.resolve("state");
        var settings = new NetworkSettings(NetworkSettings.subnet("198.51.100.112/28"), List.of());
        try (var agent = AgentService.open(state, RuntimePrerequisites.RUNC, AgentOptions.defaults().withNetwork(settings))) {
            var network = agent.launcherForTests().network();
            agent.run(sleeper("old-replica", "bench", rootfs, ContainerSpec.Network.NONE));
            var plain = new ArrayList<Double>();
            var warm = new ArrayList<Double>();
            var cold = new ArrayList<Double>();
            // An app's first container on a host: its files are shifted into the app's new id range
            // (an image would be pulled too), which the network's setup overlaps.
            var firstPlain = new ArrayList<Double>();
            var firstNetworked = new ArrayList<Double>();
            int taken = 0;
            for (int i = 0; i < runs + 3; i++) {
                for (String kind : List.of("plain", "warm", "cold", "first-plain", "first-net")) {
                    String name = kind + "-" + i;
                    String app = switch (kind) {
                        case "cold" -> "cold";
                        case "first-plain", "first-net" -> "app-" + name;
                        default -> "bench";
                    };
                    if (kind.equals("warm")) awaitSpare(network, app);
                    if (kind.equals("cold") && network.spare(app).isPresent()) throw new AssertionError("a cold start found a spare");
                    var spec = sleeper(name, app, rootfs, kind.endsWith("plain") ? null : ContainerSpec.Network.NONE);
                    long t0 = System.nanoTime();
                    agent.run(spec);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (i >= 3) { // the first few warm up the JIT, caches and the table
                        (switch (kind) {
                            case "plain" -> plain;
                            case "warm" -> warm;
                            case "cold" -> cold;
                            case "first-plain" -> firstPlain;
                            default -> firstNetworked;
                        }).add(ms);
                        if (kind.equals("warm") && network.attached(state.resolve("containers").resolve(name)).orElseThrow().cniId() != null) {
                            taken++;
                        }
                    }
                    agent.stop(name, Duration.ZERO);
                    agent.remove(name);
                    Thread.sleep(pauseMillis);
                }
            }
            double p50 = percentile(plain, 50);
            System.out.println();
            System.out.printf("Container start latency, %d runs each, %d warm starts took a spare (ms)%n", plain.size(), taken);
            System.out.println("| | p50 | p95 | p50 beside plain |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| without a network (loopback only) | %.1f | %.1f | |%n", p50, percentile(plain, 95));
            System.out.printf("| with a network, warm (the app's spare) | %.1f | %.1f | %+.1f ms |%n", percentile(warm, 50),
                    percentile(warm, 95), percentile(warm, 50) - p50);
            System.out.printf("| with a network, cold (no spare) | %.1f | %.1f | %+.1f ms |%n", percentile(cold, 50),
                    percentile(cold, 95), percentile(cold, 50) - p50);
            System.out.printf("| an app's first start here, without a network | %.1f | %.1f | |%n", percentile(firstPlain, 50),
                    percentile(firstPlain, 95));
            System.out.printf("| an app's first start here, with a network | %.1f | %.1f | %+.1f ms beside the first without |%n",
                    percentile(firstNetworked, 50), percentile(firstNetworked, 95), percentile(firstNetworked, 50) - percentile(firstPlain, 50));
            agent.stop("old-replica", Duration.ZERO);
            agent.remove("old-replica");
        } finally {
            Firewall.open(Path.of("/usr/sbin/nft"), AgentTag.of(state.toAbsolutePath().normalize()).firewallTable(),
                    List.of(settings.subnet())).delete();
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static ContainerSpec sleeper(String name, String app, Path rootfs, ContainerSpec.Network network) {
        return RunArguments.parse(List.of("--name", name, "--app", app, "--rootfs", rootfs.toString(), "--memory", "32Mi",
                "--", "/bin/sleep", "600")).withNetwork(network);
    }

    /** Until {@code app}'s spare network is ready, as it is by the time a rollout starts its next replica. */
    private static void awaitSpare(dev.berth.agent.containernet.ContainerNetwork network, String app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (network.spare(app).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no spare network for " + app + " after 10 s");
            Thread.sleep(5);
        }
    }

    private static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
