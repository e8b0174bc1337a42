package dev.berth.agent.metrics;

import java.util.OptionalLong;

/**
 * Parsers for the cgroup files a container's resource use is read from, for cgroup v1 and v2.
 * Pure: each takes a file's text. A value the kernel writes as "no limit" ({@code max} in v2, a
 * page-rounded {@code Long.MAX_VALUE} in v1) reads as empty.
 */
public final class CgroupFiles {
    /** v1 writes "unlimited" as the largest page-aligned long; anything this large is no limit. */
    private static final long V1_UNLIMITED_FLOOR = Long.MAX_VALUE / 2;

    private CgroupFiles() {
    }

    /** A file holding one non-negative number ({@code cpuacct.usage}, {@code memory.current}, {@code pids.current}). */
    public static long number(String text) {
        long value = Long.parseLong(text.strip());
        if (value < 0) throw new NumberFormatException("negative: " + value);
        return value;
    }

    /** A limit file ({@code memory.max}, {@code memory.limit_in_bytes}): empty when there is no limit. */
    public static OptionalLong limit(String text) {
        String s = text.strip();
        if (s.equals("max")) return OptionalLong.empty();
        long value = number(s);
        return value >= V1_UNLIMITED_FLOOR ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** CPU time in nanoseconds from v2's {@code cpu.stat}, whose {@code usage_usec} is in microseconds. */
    public static long cpuNanosV2(String cpuStat) {
        return Math.multiplyExact(key(cpuStat, "usage_usec").orElseThrow(
                () -> new NumberFormatException("cpu.stat has no usage_usec")), 1000L);
    }

    /**
     * The value of {@code key} in a flat keyed file ({@code cpu.stat}, {@code memory.stat}): lines of
     * "key value". Empty when the key is missing.
     */
    public static OptionalLong key(String text, String key) {
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).equals(key)) return OptionalLong.of(number(line.substring(space + 1)));
        }
        return OptionalLong.empty();
    }

    /**
     * Memory in use as {@code docker stats} counts it: usage less the inactive file cache, which the
     * kernel reclaims before it would kill (v1 {@code total_inactive_file}, v2 {@code inactive_file}).
     * Never below zero.
     */
    public static long workingSet(long usage, String memoryStat, boolean cgroupV2) {
        long inactive = key(memoryStat, cgroupV2 ? "inactive_file" : "total_inactive_file").orElse(0);
        return Math.max(0, usage - inactive);
    }
}
