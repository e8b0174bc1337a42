package dev.berth.gitsync.definition;

/**
 * The maxima a definition is checked against; an installation may lower or raise them.
 *
 * @param maxFileBytes   larger files are refused before any YAML is read
 * @param maxApps        apps per file
 * @param maxReplicas    per app
 * @param maxMemoryBytes per replica
 * @param maxCpuMillis   per replica, 1000 = one core
 * @param maxPids        per replica
 * @param maxVolumeBytes per volume
 * @param maxTmpfsBytes  per tmpfs mount
 * @param maxVolumes     volumes per app: each is a disk image on every host the app runs on
 * @param maxRoutes      routes per app
 */
public record DefinitionLimits(
        long maxFileBytes,
        int maxApps,
        int maxReplicas,
        long maxMemoryBytes,
        int maxCpuMillis,
        int maxPids,
        long maxVolumeBytes,
        long maxTmpfsBytes,
        int maxVolumes,
        int maxRoutes) {

    /** 1 MiB file, 100 apps, 10 replicas, 4Gi memory, 4 cores, 4096 pids, 10Gi volumes, 512Mi tmpfs, 8 volumes, 32 routes. */
    public static final DefinitionLimits DEFAULTS = new DefinitionLimits(
            1L << 20, 100, 10, 4L << 30, 4000, 4096, 10L << 30, 512L << 20, 8, 32);

    public DefinitionLimits {
        if (maxFileBytes < 1 || maxApps < 1 || maxReplicas < 0 || maxMemoryBytes < 1
                || maxCpuMillis < 1 || maxPids < 1 || maxVolumeBytes < 1 || maxTmpfsBytes < 1 || maxVolumes < 0
                || maxRoutes < 0) {
            throw new IllegalArgumentException(
                    "definition limits must be positive (maxReplicas, maxVolumes and maxRoutes may be 0)");
        }
    }
}
