package dev.berth.agent.daemon;

import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.ProcessIdentity;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One agent daemon (its own JVM, as an operator runs it) holding many containers: its CPU, threads,
 * resident memory and heap at rest with 0, a baseline number and all of them, and the time a
 * daemon started again after {@code kill -9} takes to adopt them all (each reported running,
 * with the very process it had, and healthy again). Each container has the full profile (user
 * namespace with its app's id range, cgroup limits, seccomp, read-only root) and sleeps; with
 * {@code -Dbench.health=true} it serves HTTP (busybox httpd) that the agent health-checks every
 * second, as a platform app's is (busybox httpd forks for every request, so 200 of them checked
 * every second keep a 2-core host busy on their own: use fewer containers there). Asserts that
 * every container runs before and after and that none was started again; prints the numbers.
 * Not part of the suite (surefire excludes *Benchmark):
 * <pre>./mvnw -B -o -pl host-agent/daemon -am test -Dtest=ManyContainersBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.containers=200 -Dbench.baseline=10 -Dbench.perApp=10 -Dbench.rest=20} (seconds per
 * window at rest), {@code -Dbench.health=false}, {@code -Dbench.volumes=false}
 * (true: a 16 MiB volume per app, loop-mounted ext4).
 */
class ManyContainersBenchmark {
    private static final int CONTAINERS = Integer.getInteger("bench.containers", 200);
    private static final int BASELINE = Integer.getInteger("bench.baseline", 10);
    private static final int PER_APP = Integer.getInteger("bench.perApp", 10);
    private static final int REST_SECONDS = Integer.getInteger("bench.rest", 20);
    private static final boolean HEALTH = Boolean.parseBoolean(System.getProperty("bench.health", "false"));
    private static final boolean VOLUMES = Boolean.parseBoolean(System.getProperty("bench.volumes", "false"));
    /** Where to keep a flight recording of the daemon's rest window with all containers, to see where its time goes. */
    private static final String JFR = System.getProperty("bench.jfr");

    private Path work;
    private Path rootfs;
    private Path state;
    private Process daemon;
    private int starts;

    /** A row of the rest table. */
    private record Rest(String label, int containers, AgentProcessSample sample) {
    }

    /** A row of the adoption table: until the daemon listens (adoption done inside it), until ps shows every one healthy. */
    private record Adoption(int containers, double listeningMillis, double allReportedMillis) {
    }

    @Test
    void oneAgentRestsAndAdoptsItsContainers() throws Exception {
        RuntimePrerequisites.require();
        if (BASELINE >= CONTAINERS) throw new IllegalArgumentException("bench.baseline must be below bench.containers");
        work = TestAgents.passableTempDirectory("berth-many");
        rootfs = Busybox.tree(work.resolve("busybox"), "sh", "httpd", "sleep");
        state = work.resolve("state").toAbsolutePath();
        var rests = new ArrayList<Rest>();
        var adoptions = new ArrayList<Adoption>();
        try {
            daemon = startDaemon();
            rests.add(rest("fresh daemon", 0));
            adoptions.add(killAndAdopt(0));

            long t0 = System.nanoTime();
            runContainers(0, BASELINE);
            double baselineStartSeconds = (System.nanoTime() - t0) / 1e9;
            rests.add(rest("baseline", BASELINE));
            adoptions.add(killAndAdopt(BASELINE));

            t0 = System.nanoTime();
            runContainers(BASELINE, CONTAINERS);
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            if (JFR != null) AgentProcessSample.jcmd(daemon.pid(), "JFR.start", "duration=" + (REST_SECONDS + 3) + "s", "filename=" + JFR);
            rests.add(rest("all, started by this daemon", CONTAINERS));
            adoptions.add(killAndAdopt(CONTAINERS));
            rests.add(rest("all, adopted after kill -9", CONTAINERS));

            print(rests, adoptions, baselineStartSeconds, startSeconds);
        } finally {
            cleanUp();
        }
    }

    private Process startDaemon() throws Exception {
        return TestDaemon.start(state, work.resolve("daemon-" + (++starts) + ".log"), work, "--publish-address", "127.0.0.1");
    }

    /** Starts containers {@code from} to {@code to - 1} through the daemon's socket, four at a time, and waits until every one serves. */
    private void runContainers(int from, int to) throws Exception {
        try (var pool = Executors.newFixedThreadPool(4)) {
            var calls = new ArrayList<Future<TestDaemon.Result>>();
            for (int i = from; i < to; i++) {
                var args = runArguments(i);
                calls.add(pool.submit(() -> TestDaemon.cli(state, args.toArray(String[]::new))));
            }
            for (var call : calls) {
                var result = call.get(5, TimeUnit.MINUTES);
                if (result.exit() != 0) throw new AssertionError("run failed: " + result.err() + result.out());
            }
        }
        awaitAll(to, Map.of(), Duration.ofMinutes(2));
    }

    private List<String> runArguments(int i) {
        var args = new ArrayList<>(List.of("run", "--name", name(i), "--app", app(i), "--rootfs", rootfs.toString(), "--memory", "16Mi",
                "--pids", "16", "--cpus", "0.1"));
        if (VOLUMES) args.addAll(List.of("--volume", "data:/data:16Mi"));
        if (HEALTH) {
            args.addAll(List.of("--tmpfs", "/www:1Mi", "--health-http", "8080/healthz", "--", "/bin/sh", "-c",
                    "echo ok > /www/healthz; exec httpd -f -p 127.0.0.1:8080 -h /www"));
        } else {
            args.addAll(List.of("--", "/bin/sleep", "1000000"));
        }
        return args;
    }

    private static String name(int i) {
        return String.format("many-%04d", i);
    }

    private static String app(int i) {
        return String.format("many-app-%03d", i / PER_APP);
    }

    /** Lets the daemon settle, then samples it over a window at rest. */
    private Rest rest(String label, int containers) throws Exception {
        Thread.sleep(3000);
        return new Rest(label, containers, AgentProcessSample.of(daemon.pid(), state.resolve("runc"), REST_SECONDS));
    }

    /**
     * {@code kill -9} of the daemon, and a new one on the same state directory; the time until it
     * listens and until {@code ps} shows every container running with the process it had (same
     * pid, same start tick) and, with checks, healthy.
     */
    private Adoption killAndAdopt(int containers) throws Exception {
        var before = awaitAll(containers, Map.of(), Duration.ofMinutes(1));
        daemon.destroyForcibly(); // SIGKILL
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("the daemon outlived SIGKILL");
        long t0 = System.nanoTime();
        daemon = startDaemon();
        double listening = (System.nanoTime() - t0) / 1e6;
        awaitAll(containers, before, Duration.ofMinutes(2));
        double reported = (System.nanoTime() - t0) / 1e6;
        return new Adoption(containers, listening, reported);
    }

    /**
     * Polls {@code ps} until exactly {@code count} containers run (and, with checks, are healthy);
     * with {@code expected} given, each must be the very process it was. Returns each one's identity.
     */
    private Map<String, ProcessIdentity> awaitAll(int count, Map<String, ProcessIdentity> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            var ps = TestDaemon.cli(state, "ps");
            last = ps.out() + ps.err();
            var seen = new HashMap<String, ProcessIdentity>();
            boolean settled = ps.exit() == 0;
            for (String line : ps.out().lines().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                // NAME APP STATUS PID HEALTH EXIT
                if (!f[2].equals("running")) {
                    if (f[2].equals("exited")) throw new AssertionError("container " + f[0] + " exited: " + line);
                    settled = false;
                    continue;
                }
                var identity = ProcessIdentity.of(Path.of("/proc"), Long.parseLong(f[3]));
                if (identity.isEmpty()) {
                    settled = false;
                    continue;
                }
                var was = expected.get(f[0]);
                if (was != null && !was.equals(identity.get())) {
                    throw new AssertionError("container " + f[0] + " was started again: it was " + was + ", it is " + identity.get());
                }
                if (HEALTH && !f[4].equals("healthy")) settled = false;
                seen.put(f[0], identity.get());
            }
            if (settled && seen.size() == count) {
                if (!expected.isEmpty() && !seen.keySet().equals(expected.keySet())) {
                    throw new AssertionError("after adoption the agent holds " + new TreeSet<>(seen.keySet()) + ", not "
                            + new TreeSet<>(expected.keySet()));
                }
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not all " + count + " containers running" + (HEALTH ? " and healthy" : "") + " after "
                        + timeout.toSeconds() + " s; last ps:\n" + last);
            }
            Thread.sleep(20);
        }
    }

    private void print(List<Rest> rests, List<Adoption> adoptions, double baselineStartSeconds, double startSeconds) {
        System.out.println();
        System.out.printf("One agent at rest, %d s per window; containers %s, %d per app%s (agent: the daemon's JVM;"
                        + " shims: each container's start shim and foreground runc)%n", REST_SECONDS,
                HEALTH ? "serving HTTP, health-checked every second" : "sleeping, unchecked", PER_APP, VOLUMES ? ", a volume per app" : "");
        System.out.println("| | containers | agent CPU (% of a core) | agent threads | agent RSS (MiB) | agent heap used after GC (MiB) |"
                + " shim processes | shims' PSS (MiB) | shims' CPU (% of a core) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (var r : rests) {
            var s = r.sample();
            System.out.printf("| %s | %d | %.2f | %d | %.1f | %.1f | %d | %.1f | %.2f |%n", r.label(), r.containers(), s.cpuPercent(),
                    s.threads(), s.rssKiB() / 1024.0, s.heapUsedKiB() / 1024.0, s.shims(), s.shimPssKiB() / 1024.0, s.shimCpuPercent());
        }
        var first = rests.getFirst().sample();
        var all = rests.get(2).sample();
        int added = CONTAINERS;
        System.out.printf("| per container (all beside fresh) | 1 | %.3f | %.2f | %.2f | %.3f | %.1f | %.2f | %.3f |%n",
                (all.cpuPercent() - first.cpuPercent()) / added, (all.threads() - first.threads()) / (double) added,
                (all.rssKiB() - first.rssKiB()) / 1024.0 / added, (all.heapUsedKiB() - first.heapUsedKiB()) / 1024.0 / added,
                all.shims() / (double) added, all.shimPssKiB() / 1024.0 / added, all.shimCpuPercent() / added);
        System.out.println();
        System.out.println("Adoption after kill -9 (from starting the new daemon's JVM)");
        System.out.println("| containers | until it listens (ms) | until ps shows all running, same processes" + (HEALTH ? ", healthy" : "")
                + " (ms) |");
        System.out.println("|---|---|---|");
        for (var a : adoptions) System.out.printf("| %d | %.0f | %.0f |%n", a.containers(), a.listeningMillis(), a.allReportedMillis());
        var zero = adoptions.getFirst();
        var most = adoptions.getLast();
        System.out.printf("| per container beyond 0 | %.2f | %.2f |%n", (most.listeningMillis() - zero.listeningMillis()) / most.containers(),
                (most.allReportedMillis() - zero.allReportedMillis()) / most.containers());
        System.out.printf("%nStarting them through the CLI, 4 at a time: %d in %.1f s, %d more in %.1f s%n", BASELINE, baselineStartSeconds,
                CONTAINERS - BASELINE, startSeconds);
        System.out.printf("every container ran before and after each kill -9, none was started again: true (%d adoptions checked)%n",
                adoptions.size());
    }

    /**
     * Kills the daemon, and an agent in this JVM adopts, stops and removes every container (runc
     * deletes each cgroup; the last removal takes the agent's parent cgroup), then its volumes go
     * and the work directory with them.
     */
    private void cleanUp() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        if (state != null && Files.isDirectory(state.resolve("containers"))) {
            try (var agent = AgentService.open(state, RuntimePrerequisites.RUNC)) {
                var apps = new TreeSet<String>();
                for (var c : agent.ps()) {
                    apps.add(c.app());
                    agent.stop(c.name(), Duration.ZERO);
                    agent.remove(c.name());
                }
                if (VOLUMES) {
                    for (String app : apps) agent.removeVolume(app, "data");
                }
            } catch (Exception e) {
                deleteWithRunc();
                throw e;
            }
        }
        // Never delete the files of containers that still run: they would be left without their state.
        if (work != null && runcContainers().isEmpty()) {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** The last resort when no agent could adopt them: runc deletes each container, with its cgroup. */
    private void deleteWithRunc() throws Exception {
        for (String id : runcContainers()) {
            new ProcessBuilder(RuntimePrerequisites.RUNC.toString(), "--root", state.resolve("runc").toString(), "delete", "--force", id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private List<String> runcContainers() throws Exception {
        if (state == null || !Files.isDirectory(state.resolve("runc"))) return List.of();
        var p = new ProcessBuilder(RuntimePrerequisites.RUNC.toString(), "--root", state.resolve("runc").toString(), "list", "-q")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
