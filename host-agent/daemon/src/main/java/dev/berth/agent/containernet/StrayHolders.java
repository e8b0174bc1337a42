package dev.berth.agent.containernet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Namespace holders a dead agent left. A holder ({@code sys.SyscallPort.holdNamespaces}) lives
 * about a millisecond per start, but one whose agent died in that moment lives on: it shares the
 * dead agent's memory and descriptor table, so it keeps its listening sockets (a new agent could
 * not bind its ports) and its namespaces. One is recognised as a process of the agent's own
 * program, waiting in pause(2), in a user namespace other than the agent's, whose parent is not
 * that program (a live agent's holder has its agent as parent).
 */
final class StrayHolders {
    private static final System.Logger log = System.getLogger(StrayHolders.class.getName());
    /** x86-64's pause(2), as the first field of {@code /proc/PID/syscall}. */
    static final String PAUSE = "34";

    private StrayHolders() {
    }

    /** What {@code /proc} says of a process; {@code syscall} is the number it waits in, empty when running. */
    record Proc(long pid, long ppid, String exe, String syscall, String userNs) {
    }

    /** The holders among {@code processes} whose agent is gone. Pure. */
    static List<Long> strays(List<Proc> processes, String program, String ownUserNs) {
        var byPid = new HashMap<Long, Proc>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        var out = new ArrayList<Long>();
        for (Proc p : processes) {
            if (!program.equals(p.exe()) || !PAUSE.equals(p.syscall()) || ownUserNs.equals(p.userNs())) continue;
            Proc parent = byPid.get(p.ppid());
            if (parent == null || !program.equals(parent.exe())) out.add(p.pid());
        }
        return out;
    }

    /** Kills the strays on this host (on x86-64, the only architecture with holders); logs each. */
    static void killAll(Path proc) {
        if (!System.getProperty("os.arch").equals("amd64")) return;
        try {
            var self = read(proc, ProcessHandle.current().pid());
            if (self.isEmpty()) return;
            var processes = new ArrayList<Proc>();
            try (Stream<Path> dirs = Files.list(proc)) {
                for (Path d : dirs.toList()) {
                    String name = d.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) read(proc, Long.parseLong(name)).ifPresent(processes::add);
                }
            }
            for (long pid : strays(processes, self.get().exe(), self.get().userNs())) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                log.log(System.Logger.Level.WARNING, "killed process " + pid + ", a namespace holder a dead agent left");
            }
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "could not look for namespace holders a dead agent left: " + e.getMessage());
        }
    }

    /** One process's entries; empty when it is gone or unreadable. */
    private static Optional<Proc> read(Path proc, long pid) {
        Path p = proc.resolve(Long.toString(pid));
        try {
            String status = Files.readString(p.resolve("status"));
            long ppid = status.lines().filter(l -> l.startsWith("PPid:")).map(l -> Long.parseLong(l.substring(5).strip()))
                    .findFirst().orElse(0L);
            String syscall = Files.readString(p.resolve("syscall")).strip().split(" ", 2)[0];
            return Optional.of(new Proc(pid, ppid, Files.readSymbolicLink(p.resolve("exe")).toString(), syscall,
                    Files.readSymbolicLink(p.resolve("ns/user")).toString()));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty(); // ended meanwhile, or a kernel thread without exe
        }
    }
}
