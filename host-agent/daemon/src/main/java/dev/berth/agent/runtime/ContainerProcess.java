package dev.berth.agent.runtime;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One container run by runc in the foreground under a small shell that records runc's exit
 * status in a file ({@link Runc#startUnderShim}). The container's output goes straight to its log file, not through the agent,
 * so containers and their exit codes survive the agent being killed; a restarted agent finds
 * them again through runc and that file. The container's init process is known by its
 * {@link ProcessIdentity} (pid, start time, boot), recorded when it starts: a pid alone may by now
 * be any other process's.
 */
public final class ContainerProcess {
    private final Runc runc;
    private final String id;
    private final Path exitFile;
    private final Path memoryCgroup;
    private static final Path PROC = Path.of("/proc");

    private ContainerProcess(Runc runc, String id, Path exitFile, Path memoryCgroup) {
        this.runc = runc;
        this.id = id;
        this.exitFile = exitFile;
        this.memoryCgroup = memoryCgroup;
    }

    /** The directory of a container's memory cgroup, where the kernel counts OOM kills. */
    public static Path memoryCgroup(Path cgroupRoot, boolean cgroupV2, String cgroupsPath) {
        Path base = cgroupV2 ? cgroupRoot : cgroupRoot.resolve("memory");
        return base.resolve(cgroupsPath.substring(1));
    }

    /**
     * Starts the container and waits until runc reports it running.
     *
     * @param dir the container's own state directory: exit-code file and log live there
     * @param memoryCgroup see {@link #memoryCgroup}
     */
    public static ContainerProcess start(Runc runc, String id, Path bundle, Path dir, Path log, Path memoryCgroup)
            throws IOException {
        Path exitFile = dir.resolve("exit-code");
        Path pidFile = dir.resolve("pid");
        Files.deleteIfExists(exitFile);
        Files.deleteIfExists(pidFile);
        Files.deleteIfExists(identityFile(dir));
        LogFile.createPrivate(log);
        runc.startUnderShim(id, bundle, pidFile, exitFile, log);
        var container = new ContainerProcess(runc, id, exitFile, memoryCgroup);
        container.awaitStarted(pidFile, Duration.ofSeconds(30), log);
        container.recordIdentity(pidFile);
        return container;
    }

    /**
     * Picks up a container a previous agent started. One started by an agent that recorded no
     * identity gets one now, if runc (which checks its init's start time itself) says it runs
     * with the pid the pid file names.
     */
    public static ContainerProcess adopt(Runc runc, String id, Path dir, Path memoryCgroup) {
        var container = new ContainerProcess(runc, id, dir.resolve("exit-code"), memoryCgroup);
        Path identity = identityFile(dir);
        if (!Files.exists(identity) && !Files.exists(container.exitFile)) {
            try {
                var state = runc.state(id);
                long recorded = Long.parseLong(Files.readString(dir.resolve("pid")).strip());
                if (state.pid() == recorded && List.of("running", "paused", "created").contains(state.status())) {
                    container.recordIdentity(dir.resolve("pid"));
                }
            } catch (IOException | RuntimeException unknown) {
                // runc knows nothing of it, or there is no pid file: no live process is claimed
            }
        }
        return container;
    }

    private static Path identityFile(Path dir) {
        return dir.resolve("pid-identity");
    }

    /** Keeps the identity of the process the pid file names, if it is alive (it may have ended already). */
    private void recordIdentity(Path pidFile) throws IOException {
        if (Files.exists(exitFile) || !Files.exists(pidFile)) return;
        String text = Files.readString(pidFile).strip();
        if (text.isEmpty()) return;
        var identity = ProcessIdentity.of(PROC, Long.parseLong(text));
        if (identity.isEmpty()) return;
        AtomicFile.at(identityFile(exitFile.getParent())).write(identity.get().line());
    }

    public String id() {
        return id;
    }

    public Runc.State state() throws IOException {
        return runc.state(id);
    }

    /**
     * The container's init process, if the process recorded when it started is still alive: the
     * same pid, started at the same moment of the same boot (a live process that merely has its
     * pid is some other process). No runc call needed.
     */
    public Optional<Long> livePid() throws IOException {
        if (Files.exists(exitFile)) return Optional.empty();
        Path file = identityFile(exitFile.getParent());
        if (!Files.exists(file)) return Optional.empty();
        return ProcessIdentity.parse(Files.readString(file)).filter(i -> i.alive(PROC)).map(ProcessIdentity::pid);
    }

    /** The exit status once the container has ended; empty while it runs. */
    public Optional<ExitStatus> exitStatus() throws IOException {
        if (!Files.exists(exitFile)) return Optional.empty();
        int code = Integer.parseInt(Files.readString(exitFile).strip());
        return Optional.of(new ExitStatus(code, oomKilled()));
    }

    /** Waits up to {@code timeout} for the container to end. */
    public Optional<ExitStatus> await(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            var status = exitStatus();
            if (status.isPresent() || Instant.now().isAfter(deadline)) return status;
            sleep(20);
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended after {@code grace}. */
    public ExitStatus stop(Duration grace) throws IOException {
        var done = exitStatus();
        if (done.isPresent()) return done.get();
        signal("TERM");
        var status = await(grace);
        if (status.isPresent()) return status.get();
        signal("KILL");
        return await(Duration.ofSeconds(10))
                .orElseThrow(() -> new IOException("container " + id + " did not end 10s after SIGKILL"));
    }

    /** Removes runc's record and the container's cgroup; the container must have ended. */
    public void delete() throws IOException {
        runc.delete(id, true);
    }

    private void signal(String signal) throws IOException {
        try {
            runc.kill(id, signal);
        } catch (IOException e) {
            // It may have ended between the look and the signal; only a live container is an error.
            if (exitStatus().isEmpty() && !"stopped".equals(state().status())) throw e;
        }
    }

    /** The kernel's count of OOM kills in the container's memory cgroup (v1 oom_control, v2 events). */
    private boolean oomKilled() {
        for (String file : List.of("memory.oom_control", "memory.events")) {
            try {
                for (String line : Files.readAllLines(memoryCgroup.resolve(file))) {
                    if (line.startsWith("oom_kill ")) return Long.parseLong(line.substring(9).strip()) > 0;
                }
            } catch (IOException | NumberFormatException e) {
                // not this hierarchy's file, or the cgroup is gone
            }
        }
        return false;
    }

    /**
     * Waits until the container's own command runs: runc writes the pid file once the init
     * process exists, and that process stops being runc's init when it execs the command. Both
     * are plain file reads, so the wait adds almost nothing to runc's own start time.
     */
    private void awaitStarted(Path pidFile, Duration timeout, Path log) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        Path exe = null;
        for (long round = 1; Instant.now().isBefore(deadline); round++) {
            if (Files.exists(exitFile)) return; // ran and ended already: its status tells
            if (exe == null && Files.exists(pidFile)) {
                String pid = Files.readString(pidFile).strip();
                if (!pid.isEmpty()) exe = Path.of("/proc", pid, "exe");
            }
            if (exe != null) {
                try {
                    // runc's init runs from a copy of runc ("/memfd:runc_cloned:..." or the binary itself).
                    if (!Files.readSymbolicLink(exe).toString().contains("runc")) return;
                } catch (IOException gone) {
                    // it ended already; the exit file will say how
                }
                // A command whose own path mentions runc: ask runc, now and then.
                if (round % 100 == 0 && "running".equals(runc.state(id).status())) return;
            }
            sleepMicros(500);
        }
        throw new IOException("container " + id + " did not start within " + timeout.toSeconds() + "s; see " + log);
    }

    private static void sleepMicros(long micros) {
        java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
