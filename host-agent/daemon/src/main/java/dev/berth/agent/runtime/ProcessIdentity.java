package dev.berth.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which process a pid meant when it was recorded: the pid, its start time in clock ticks after
 * boot ({@code /proc/PID/stat} field 22) and the boot's id. The kernel hands a pid out again once
 * its process has ended; the same pid that started at the same tick of the same boot is the same
 * process, so a restarted agent never mistakes an unrelated process for its container.
 */
public record ProcessIdentity(long pid, long startTicks, String bootId) {

    /** The identity of the live process {@code pid}, read from {@code proc}; empty when there is none. */
    public static Optional<ProcessIdentity> of(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            OptionalLong start = startTicks(stat);
            if (start.isEmpty()) return Optional.empty();
            return Optional.of(new ProcessIdentity(pid, start.getAsLong(), bootId(proc)));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} is alive now and is still the process this identity recorded. */
    public boolean alive(Path proc) {
        return of(proc, pid).filter(this::equals).isPresent();
    }

    /**
     * The start time in a {@code /proc/PID/stat} line. The command name in parentheses may hold
     * spaces and parentheses itself, so fields are counted after the last ')'. Pure.
     */
    static OptionalLong startTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) return OptionalLong.empty();
        String[] fields = stat.substring(close + 1).strip().split(" +");
        // fields[0] is field 3 (state); starttime is field 22.
        if (fields.length < 20) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code PID STARTTICKS BOOTID}, as kept beside the container. */
    public String line() {
        return pid + " " + startTicks + " " + bootId + "\n";
    }

    /** A kept line read back; empty when it is not one. Pure. */
    public static Optional<ProcessIdentity> parse(String line) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 3) return Optional.empty();
        try {
            return Optional.of(new ProcessIdentity(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String bootId(Path proc) throws IOException {
        return Files.readString(proc.resolve("sys/kernel/random/boot_id"), StandardCharsets.UTF_8).strip();
    }
}
