package dev.berth.deployer;

import java.time.Duration;

/** Short, people-readable amounts for step reasons: {@code 128Mi}, {@code 500m}, {@code 2m30s}. */
final class Quantities {
    private Quantities() {
    }

    static String memory(long bytes) {
        if (bytes <= 0) {
            return "0Mi";
        }
        String[] units = {"Gi", "Mi", "Ki"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }

    static String cpu(long millis) {
        return Math.max(0, millis) + "m";
    }

    static String duration(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        if (seconds == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            out.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0) {
            out.append(seconds % 60).append('s');
        }
        return out.toString();
    }
}
