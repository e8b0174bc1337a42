package dev.berth.uitests;

import java.time.Duration;

/**
 * CPU time used so far by this JVM (the platform and the test driving it) and by the Chromium
 * processes it started (through chromedriver), for telling whether the browsers starve the
 * platform on a small machine. Browsers that exited are no longer counted.
 */
record ProcessCpu(Duration platform, Duration chromium) {
    static ProcessCpu now() {
        var self = ProcessHandle.current();
        Duration chromium = self.descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chrom") && !c.contains("chromedriver")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        return new ProcessCpu(self.info().totalCpuDuration().orElse(Duration.ZERO), chromium);
    }

    /** What was used between {@code earlier} and this. */
    ProcessCpu since(ProcessCpu earlier) {
        return new ProcessCpu(platform.minus(earlier.platform), chromium.minus(earlier.chromium));
    }

    /** Cores busy on average over {@code wall}: {@code platform 1.2 cores, chromium 0.6 cores}. */
    String perCore(Duration wall) {
        double seconds = wall.toNanos() / 1e9;
        return "platform JVM %.2f cores, chromium %.2f cores (of %d)".formatted(platform.toNanos() / 1e9 / seconds,
                chromium.toNanos() / 1e9 / seconds, Runtime.getRuntime().availableProcessors());
    }
}
