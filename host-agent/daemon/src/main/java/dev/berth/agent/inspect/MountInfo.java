package dev.berth.agent.inspect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The mounts of /proc/PID/mountinfo; pure. */
public record MountInfo(List<Entry> entries) {

    /** One mount: where, what filesystem, and its per-mount and superblock options together. */
    public record Entry(String mountPoint, String fsType, Set<String> options) {
    }

    public static MountInfo parse(String text) {
        var entries = new ArrayList<Entry>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 6 || f.length < dash + 4) continue;
            var options = new LinkedHashSet<String>(List.of(f[5].split(",")));
            options.addAll(List.of(f[dash + 3].split(",")));
            entries.add(new Entry(unescape(f[4]), f[dash + 1], Set.copyOf(options)));
        }
        return new MountInfo(List.copyOf(entries));
    }

    /** The mount that is visible at {@code mountPoint}: the last one stacked there. */
    public Optional<Entry> at(String mountPoint) {
        Entry found = null;
        for (Entry e : entries) if (e.mountPoint().equals(mountPoint)) found = e;
        return Optional.ofNullable(found);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
