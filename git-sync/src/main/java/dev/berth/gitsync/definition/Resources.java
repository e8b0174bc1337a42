package dev.berth.gitsync.definition;

/** Caps for one replica: memory in bytes, CPU in millicores (1000 = one core), process count. */
public record Resources(long memoryBytes, int cpuMillis, int pids) {
    /** 256Mi, one core, 256 processes; each is lowered to the configured maximum if that is smaller. */
    public static final Resources DEFAULT = new Resources(256L << 20, 1000, 256);
}
