package dev.berth.agent.edge;

import dev.berth.atomicfile.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one Caddy of an edge agent, a child of the agent: {@code caddy run} with a starting
 * configuration (no certificates, so no key on disk) whose admin API is the unix socket in the
 * 0700 {@link EdgeDirectory}. Its home and XDG directories are that directory too, so nothing of
 * it lands elsewhere. Its output goes to the agent's log, lines and rate capped. A Caddy left by a
 * dead agent is found through the pid file and stopped before a new one starts.
 */
final class CaddyProcess implements AutoCloseable {
    static final Path DEFAULT_BINARY = Path.of("/usr/bin/caddy");
    static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int MAX_LINE = 1000;
    private static final int LINES_PER_MINUTE = 60;

    private final Process process;
    private final Thread output;
    private volatile String lastLine = "";

    private CaddyProcess(Process process, PrintStream log) {
        this.process = process;
        this.output = Thread.ofPlatform().name("caddy-output").daemon().start(() -> pump(log));
    }

    /**
     * Stops a Caddy a previous agent left, writes {@code startConfig}, starts Caddy and waits until
     * its admin API answers.
     *
     * @throws IOException with a sentence for {@code EdgeStatus.error} when it cannot start or exits
     */
    static CaddyProcess start(Path binary, EdgeDirectory dir, String startConfig, int cpus, CaddyAdmin admin, PrintStream log)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(binary)) throw new IOException(binary + " is missing: install Debian's caddy package");
        stopStale(dir, log);
        AtomicFile.ownerOnly(dir.startConfig()).write(startConfig.getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(dir.adminSocket());
        var builder = new ProcessBuilder(List.of(binary.toString(), "run", "--config", dir.startConfig().toString()))
                .directory(dir.dir().toFile()).redirectErrorStream(true);
        var env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", dir.dir().toString());
        env.put("XDG_CONFIG_HOME", dir.dir().toString());
        env.put("XDG_DATA_HOME", dir.dir().toString());
        env.put("GOMAXPROCS", Integer.toString(cpus));
        var caddy = new CaddyProcess(builder.start(), log);
        AtomicFile.ownerOnly(dir.pidFile()).write(Long.toString(caddy.process.pid()).getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!admin.ready()) {
            if (!caddy.process.isAlive()) {
                caddy.output.join(1000);
                throw new IOException("Caddy exited with status " + caddy.process.exitValue() + " at start: " + caddy.lastLine);
            }
            if (System.nanoTime() > deadline) {
                caddy.close();
                throw new IOException("Caddy's admin API did not answer within " + START_TIMEOUT.toSeconds() + " s of its start");
            }
            Thread.sleep(50);
        }
        return caddy;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Why Caddy ended, once it has: its exit status and its last line of output. */
    String exitReason() {
        return "Caddy exited with status " + process.exitValue() + (lastLine.isEmpty() ? "" : ": " + lastLine);
    }

    /** SIGTERM (Caddy lets requests in flight finish), SIGKILL after a grace period. */
    @Override
    public void close() {
        stop(process.toHandle());
    }

    private static void stop(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    private static void stopStale(EdgeDirectory dir, PrintStream log) throws IOException {
        if (!Files.exists(dir.pidFile())) return;
        Optional<ProcessHandle> stale;
        try {
            stale = ProcessHandle.of(Long.parseLong(Files.readString(dir.pidFile()).strip()));
        } catch (NumberFormatException e) {
            stale = Optional.empty();
        }
        // Only a Caddy started with this directory's configuration is ours: a reused pid is left alone.
        stale.filter(ProcessHandle::isAlive).filter(h -> h.info().arguments()
                        .map(args -> List.of(args).contains(dir.startConfig().toString())).orElse(false))
                .ifPresent(h -> {
                    log.println("berth-agent: stopping the Caddy (pid " + h.pid() + ") a previous agent left");
                    stop(h);
                });
        Files.deleteIfExists(dir.pidFile());
    }

    private void pump(PrintStream log) {
        long windowStart = System.nanoTime();
        int lines = 0;
        int dropped = 0;
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.length() > MAX_LINE) line = line.substring(0, MAX_LINE) + "…";
                lastLine = CaddyLines.summary(line);
                if (System.nanoTime() - windowStart > Duration.ofMinutes(1).toNanos()) {
                    if (dropped > 0) log.println("berth-agent: caddy: " + dropped + " more lines of output left out");
                    windowStart = System.nanoTime();
                    lines = 0;
                    dropped = 0;
                }
                if (++lines <= LINES_PER_MINUTE) log.println("berth-agent: caddy: " + line);
                else dropped++;
            }
        } catch (IOException e) {
            // Caddy ended; its exit status says the rest
        }
    }
}
