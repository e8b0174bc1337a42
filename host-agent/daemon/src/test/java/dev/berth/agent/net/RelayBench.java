package dev.berth.agent.net;

import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * What the relay benchmarks share: a sink and an echo server, a bulk client and a round-trip
 * client, and a comparison of several ways of reaching the servers that takes turns round by round
 * and prints a table beside the first (the direct baseline). Options, read once:
 * {@code -Dbench.mib=1024 -Dbench.runs=5 -Dbench.trips=20000 -Dbench.message=1024}. Tests only.
 */
public final class RelayBench {
    /** Bytes per throughput run. */
    public static final long BYTES = Long.getLong("bench.mib", 1024) << 20;
    /** Rounds; each case makes one throughput run and {@code TRIPS / RUNS} round trips per round. */
    public static final int RUNS = Integer.getInteger("bench.runs", 5);
    public static final int TRIPS = Integer.getInteger("bench.trips", 20_000);
    /** Bytes of each request and of each answer. */
    public static final int MESSAGE = Integer.getInteger("bench.message", 1024);
    private static final int WARMUP_TRIPS = 1_000;
    /** Process CPU time (user and system, all threads): client, relays and servers all run in this JVM. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private RelayBench() {
    }

    /** One way of reaching the servers: a client on a thread inside {@code clientNs} (where we are, when null). */
    public record Case(String name, Path clientNs, InetSocketAddress sink, InetSocketAddress echo) {
    }

    /**
     * After one uncounted throughput run of each, the cases take turns round by round (each round:
     * one throughput run and a share of the round trips, on a new connection), so load from
     * elsewhere falls on all of them alike; then prints the table, the first case being the baseline.
     */
    public static void compare(String title, List<Case> cases) throws Exception {
        for (Case k : cases) inNamespace(k.clientNs(), () -> throughput(k.sink())); // warm-up, not counted
        var mbps = new double[cases.size()][RUNS];
        var cpu = new double[cases.size()][RUNS];
        var nanos = new long[cases.size()][RUNS * (TRIPS / RUNS)];
        for (int r = 0; r < RUNS; r++) {
            for (int c = 0; c < cases.size(); c++) {
                Case k = cases.get(c);
                long cpuBefore = PROCESS.getProcessCpuTime();
                mbps[c][r] = inNamespace(k.clientNs(), () -> throughput(k.sink()));
                cpu[c][r] = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e9 / (BYTES / (double) (1L << 30));
                long[] trips = inNamespace(k.clientNs(), () -> roundTrips(k.echo(), TRIPS / RUNS));
                System.arraycopy(trips, 0, nanos[c], r * (TRIPS / RUNS), trips.length);
            }
        }
        double directBest = Arrays.stream(mbps[0]).max().orElseThrow();
        double directP50 = percentile(nanos[0], 50) / 1000;
        System.out.println();
        System.out.println(title);
        System.out.println("| | MB/s, best | MB/s, median | best / direct | CPU s per GiB | p50 µs | p99 µs | p50 − direct |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int c = 0; c < cases.size(); c++) {
            double best = Arrays.stream(mbps[c]).max().orElseThrow();
            double p50 = percentile(nanos[c], 50) / 1000;
            System.out.printf("| %s | %.0f | %.0f | %.2fx | %.2f | %.1f | %.1f | %+.1f µs |%n", cases.get(c).name(), best,
                    median(mbps[c]), best / directBest, median(cpu[c]), p50, percentile(nanos[c], 99) / 1000, p50 - directP50);
        }
        for (int c = 0; c < cases.size(); c++) {
            System.out.println(cases.get(c).name() + ", all runs (MB/s): "
                    + Arrays.stream(mbps[c]).mapToObj(v -> String.format("%.0f", v)).toList());
        }
    }

    /** Sends BYTES, half-closes, waits for the sink's count: MB/s (10^6 bytes). */
    private static double throughput(InetSocketAddress at) throws IOException {
        try (var c = SocketChannel.open(at)) {
            var block = ByteBuffer.allocateDirect(1 << 20);
            long start = System.nanoTime();
            for (long sent = 0; sent < BYTES; sent += block.capacity()) {
                block.clear().limit((int) Math.min(block.capacity(), BYTES - sent));
                while (block.hasRemaining()) c.write(block);
            }
            c.shutdownOutput();
            var count = ByteBuffer.allocate(8);
            while (count.hasRemaining() && c.read(count) >= 0) {
                // the sink answers with the byte count once it saw end of stream
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (count.flip().getLong() != BYTES) throw new IOException("the sink counted " + count.getLong(0) + " bytes");
            return BYTES / seconds / 1e6;
        }
    }

    /** 1 KiB out, 1 KiB back, {@code trips} times after a warm-up: each round trip in ns. */
    private static long[] roundTrips(InetSocketAddress at, int trips) throws IOException {
        try (var c = SocketChannel.open(at)) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var message = ByteBuffer.allocateDirect(MESSAGE);
            long[] nanos = new long[trips];
            for (int i = 0; i < WARMUP_TRIPS + trips; i++) {
                long start = System.nanoTime();
                message.clear();
                while (message.hasRemaining()) c.write(message);
                message.clear();
                while (message.hasRemaining()) {
                    if (c.read(message) < 0) throw new IOException("the echo server hung up");
                }
                if (i >= WARMUP_TRIPS) nanos[i - WARMUP_TRIPS] = System.nanoTime() - start;
            }
            return nanos;
        }
    }

    /** A sink (reads to EOF, answers the count) and an echo, on platform threads, in the namespace of the thread that starts them. */
    public record Servers(ServerSocketChannel sink, ServerSocketChannel echo) implements AutoCloseable {
        /** Both on 127.0.0.1. */
        public static Servers start() throws IOException {
            return start(InetAddress.getByName("127.0.0.1"));
        }

        /** Both on {@code address} (the wildcard: every address of the namespace). */
        public static Servers start(InetAddress address) throws IOException {
            return new Servers(LoopbackServer.start(address, Servers::sink), LoopbackServer.start(address, Servers::echo));
        }

        public InetSocketAddress sinkAddress() throws IOException {
            return (InetSocketAddress) sink.getLocalAddress();
        }

        public InetSocketAddress echoAddress() throws IOException {
            return (InetSocketAddress) echo.getLocalAddress();
        }

        private static void sink(SocketChannel c) throws IOException {
            var buffer = ByteBuffer.allocateDirect(1 << 20);
            long total = 0;
            int n;
            while ((n = c.read(buffer.clear())) >= 0) total += n;
            var count = ByteBuffer.allocate(8).putLong(total).flip();
            while (count.hasRemaining()) c.write(count);
        }

        private static void echo(SocketChannel c) throws IOException {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var message = ByteBuffer.allocateDirect(MESSAGE);
            while (true) {
                message.clear();
                while (message.hasRemaining()) {
                    if (c.read(message) < 0) return;
                }
                message.flip();
                while (message.hasRemaining()) c.write(message);
            }
        }

        @Override
        public void close() throws IOException {
            sink.close();
            echo.close();
        }
    }

    /** Runs {@code work} on a fresh platform thread inside {@code netns} (or where we are, when null). */
    public static <T> T inNamespace(Path netns, Callable<T> work) throws Exception {
        var task = new FutureTask<>(() -> {
            if (netns != null) SyscallPort.enterNamespace(netns, SyscallPort.CLONE_NEWNET);
            return work.call();
        });
        Thread.ofPlatform().start(task);
        return task.get(10, TimeUnit.MINUTES);
    }

    /** Runs a command, failing with its output when it fails. */
    public static void run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
