package dev.berth.uitests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One push's way to serving, by the times it passed each point: the client started {@code git
 * push}; the platform recorded the revision and its deployment; the client's push returned; a
 * reconcile round began that created the new replica; the agent took it up; its process ran; it
 * passed its first health check; the client got the new content from the published port; a
 * heartbeat told the platform it was healthy; a round told the old replica to stop. The platform
 * and the agent run on the client's host, so their clocks are one.
 */
record PushPhases(Instant pushStart, Instant recorded, Instant pushed, Instant assigned, Instant prepared, Instant running,
                  Instant healthy, Instant served, Instant reported, Instant oldStopped) {

    /** A stretch between two points, named as the table shows it. */
    record Phase(String name, Function<PushPhases, Instant> from, Function<PushPhases, Instant> to) {
        double millis(PushPhases p) {
            return Duration.between(from.apply(p), to.apply(p)).toNanos() / 1e6;
        }
    }

    /** The stretches that add up to push to serving, in order, then those after it until the old replica is told to stop. */
    static final List<Phase> PHASES = List.of(
            new Phase("git push, review, digest resolution, recording (client start → deployment recorded)",
                    PushPhases::pushStart, PushPhases::recorded),
            new Phase("reconcile trigger (recorded → round begins)", PushPhases::recorded, PushPhases::assigned),
            new Phase("round and assignment long poll (round begins → agent takes the replica up)",
                    PushPhases::assigned, PushPhases::prepared),
            new Phase("start: image, bundle, network, runc (taken up → process runs)", PushPhases::prepared, PushPhases::running),
            new Phase("first health check passes (process runs → healthy)", PushPhases::running, PushPhases::healthy),
            new Phase("published port lets it in, client sees it (healthy → new content answers)",
                    PushPhases::healthy, PushPhases::served),
            new Phase("**push to serving** (client start → new content answers)", PushPhases::pushStart, PushPhases::served),
            new Phase("git push returns (client start → push returns)", PushPhases::pushStart, PushPhases::pushed),
            new Phase("heartbeat reports it healthy (healthy → platform hears)", PushPhases::healthy, PushPhases::reported),
            new Phase("round stops the old replica (platform hears → old one told to stop)",
                    PushPhases::reported, PushPhases::oldStopped),
            new Phase("push to converged (client start → old one told to stop)", PushPhases::pushStart, PushPhases::oldStopped));

    /** The markdown table: p50, p95 and max per phase, then the bare start beside them. */
    static String table(List<PushPhases> pushes, List<Double> bare) {
        var out = new StringBuilder("| phase | p50 | p95 | max |\n|---|---|---|---|\n");
        for (var phase : PHASES) {
            var samples = pushes.stream().map(phase::millis).toList();
            out.append(row(phase.name(), samples));
        }
        out.append(row("bare agent start, for comparison (berth-agent run until the port answers)", bare));
        return out.toString();
    }

    private static String row(String name, List<Double> samples) {
        return String.format("| %s | %.0f | %.0f | %.0f |%n", name, PushToServingBenchmark.percentile(samples, 50),
                PushToServingBenchmark.percentile(samples, 95), PushToServingBenchmark.percentile(samples, 100));
    }
}
