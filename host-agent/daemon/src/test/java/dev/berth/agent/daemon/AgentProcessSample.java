package dev.berth.agent.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an agent process costs at rest, read from outside it: CPU over a window from
 * {@code /proc/PID/stat}, threads and resident memory from {@code /proc/PID/status}, the Java heap
 * in use right after a full collection through {@code jcmd}; and beside it the processes each
 * container keeps on the host (its start shim and {@code runc run} in the foreground), found by
 * the runc root their command lines name.
 *
 * @param cpuPercent of one core, averaged over the window
 * @param shimPssKiB the shims' proportional set size: pages they share (runc's binary) counted once in all
 * @param shimCpuPercent of one core, all shim processes together, over the same window
 */
record AgentProcessSample(double cpuPercent, int threads, long rssKiB, long heapUsedKiB, int shims, long shimPssKiB,
                          double shimCpuPercent) {
    private static final Path PROC = Path.of("/proc");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /** USER_HZ: every Linux on x86-64 and arm64 reports ticks of 1/100 s in /proc. */
    private static final double TICKS_PER_SECOND = 100;

    /** Samples {@code pid} (and the shims of {@code runcRoot}) over {@code windowSeconds}, then collects its heap and reads it. */
    static AgentProcessSample of(long pid, Path runcRoot, int windowSeconds) throws IOException, InterruptedException {
        long ticks0 = cpuTicks(pid);
        long shimTicks0 = shimPids(runcRoot).stream().mapToLong(AgentProcessSample::cpuTicksOrZero).sum();
        long t0 = System.nanoTime();
        Thread.sleep(windowSeconds * 1000L);
        long ticks1 = cpuTicks(pid);
        List<Long> shims = shimPids(runcRoot);
        long shimTicks1 = shims.stream().mapToLong(AgentProcessSample::cpuTicksOrZero).sum();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long shimPss = shims.stream().mapToLong(AgentProcessSample::pssOrZero).sum();
        return new AgentProcessSample(percent(ticks1 - ticks0, seconds), (int) statusField(pid, "Threads:"),
                statusField(pid, "VmRSS:"), heapUsedAfterGc(pid), shims.size(), shimPss,
                percent(Math.max(0, shimTicks1 - shimTicks0), seconds));
    }

    private static double percent(long ticks, double seconds) {
        return ticks / TICKS_PER_SECOND / seconds * 100;
    }

    /** utime + stime, fields 14 and 15, counted after the command name's last ')'. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 1).strip().split(" +");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long cpuTicksOrZero(long pid) {
        try {
            return cpuTicks(pid);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long pssOrZero(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("smaps_rollup"))) {
                if (line.startsWith("Pss:")) return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
            }
            return 0;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** A number from {@code /proc/PID/status} ({@code VmRSS:} in KiB, {@code Threads:}). */
    static long statusField(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }

    /** The shim and foreground runc of every container of the agent whose runc root is {@code runcRoot}. */
    static List<Long> shimPids(Path runcRoot) throws IOException {
        byte[] root = runcRoot.toString().getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return contains(Files.readAllBytes(p.resolve("cmdline")), root);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString())).toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    /** {@code jcmd PID GC.run}, then the heap's use as {@code GC.heap_info} reports it, in KiB. */
    static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        var m = HEAP_USED.matcher(info);
        if (!m.find()) throw new IOException("no heap use in jcmd's GC.heap_info: " + info);
        return Long.parseLong(m.group(1));
    }

    /** Runs a diagnostic command in the JVM {@code pid}; returns what it printed. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        var args = new java.util.ArrayList<>(List.of(java.resolveSibling("jcmd").toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        var p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("jcmd " + pid + " " + String.join(" ", command) + " failed: " + out);
        return out;
    }
}
