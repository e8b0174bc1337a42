package dev.berth.deployer;

/**
 * What one replica reserves on its host: memory in bytes and CPU in millicores (1000 = one core).
 *
 * @param memoryBytes memory reserved, at least 0
 * @param cpuMillis CPU reserved in millicores, at least 0
 */
public record Resources(long memoryBytes, int cpuMillis) {
    /** Checks that neither amount is negative. */
    public Resources {
        if (memoryBytes < 0 || cpuMillis < 0) {
            throw new IllegalArgumentException("resources cannot be negative: " + memoryBytes + " bytes, " + cpuMillis + "m cpu");
        }
    }
}
