package dev.berth.platform.apps;

import dev.berth.platform.deployments.Deployment;
import dev.berth.platform.secrets.AppSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What differs between what an app should run and what runs, in sentences for people. Pure: the
 * same app, replicas and instant give the same sentences. An empty list means they agree.
 */
public final class Differences {
    private Differences() {
    }

    /**
     * What should run.
     *
     * @param team the app's team
     * @param app the app
     * @param revision the revision it should run
     * @param replicas how many replicas that revision asks for; 0 once removed
     * @param removed whether the app's repository no longer defines it
     * @param deployment the app's newest deployment
     * @param missingSecrets secrets the revision references that are not set
     */
    public record Wanted(String team, String app, long revision, int replicas, boolean removed, Deployment deployment,
                         List<String> missingSecrets) {
        public Wanted {
            missingSecrets = List.copyOf(missingSecrets);
        }
    }

    /**
     * The last start of the wanted revision that failed, kept after its replica was stopped: a
     * failed start is replaced at once, so its own report is soon gone.
     *
     * @param replica the replica that could not start
     * @param hostname where
     * @param error why, as its host said
     * @param at when its host said so
     */
    public record FailedStart(String replica, String hostname, String error, Instant at) {
    }

    /**
     * The differences, most important first.
     *
     * @param failedStart the wanted revision's last failed start, or null; said while the revision
     *                    is not all healthy and that replica is no longer live
     */
    public static List<String> of(Wanted wanted, List<ReplicaView> live, FailedStart failedStart, Instant now) {
        var out = new ArrayList<String>();
        long r = wanted.revision();
        if (wanted.removed()) {
            if (!live.isEmpty()) {
                out.add("revision " + r + " no longer defines the app; " + count(live.size()) + " still "
                        + (live.size() == 1 ? "runs" : "run"));
            }
        } else {
            for (String name : wanted.missingSecrets()) {
                out.add("secret " + name + " is not set, so replicas of revision " + r + " cannot start; "
                        + AppSecrets.howToSet(wanted.team(), wanted.app(), name));
            }
            long healthy = live.stream().filter(v -> v.revision() == r && v.state().equals("HEALTHY")).count();
            if (healthy < wanted.replicas()) {
                out.add(healthy + " of " + count(wanted.replicas()) + " of revision " + r + " run healthy");
                if (failedStart != null && live.stream().noneMatch(v -> v.id().equals(failedStart.replica()))) {
                    out.add("replica " + failedStart.replica() + " on " + failedStart.hostname() + " failed to start ("
                            + ago(failedStart.at(), now) + " ago, since replaced): " + failedStart.error());
                }
            }
            if (live.size() > wanted.replicas()) {
                out.add(count(live.size()) + " are assigned; revision " + r + " asks for " + wanted.replicas());
            }
        }
        if (wanted.deployment() != null && wanted.deployment().state() == Deployment.State.FAILED) {
            out.add("deployment " + wanted.deployment().id() + " of revision " + wanted.deployment().revision() + " failed: "
                    + wanted.deployment().message());
        }
        for (var v : live) {
            String where = "replica " + v.id() + " on " + v.hostname();
            if (!v.hostAlive()) {
                out.add("host " + v.hostname() + " has stopped sending heartbeats; replica " + v.id() + " there is being replaced");
                continue;
            }
            if (!wanted.removed() && v.revision() != r) out.add(where + " runs revision " + v.revision() + ", not " + r);
            if (v.reportedAt() == null && v.state().equals("STARTING")) {
                out.add(where + " was assigned " + ago(v.createdAt(), now) + " ago and is not reported yet");
                continue;
            }
            switch (v.state()) {
                case "UNHEALTHY" -> out.add(where + " fails its health check (for " + ago(v.since(), now) + ")");
                case "EXITED" -> out.add(v.reportedAt() == null ? where + " is no longer reported by its host"
                        : "failed".equals(v.runtime()) ? where + " failed to start" + (v.error() == null ? "" : ": " + v.error())
                        : where + " exited" + (v.exitCode() == null ? "" : " with code " + v.exitCode())
                        + (v.oomKilled() ? ", killed for using more memory than its limit" : ""));
                // Before a replica first serves, its host retries a failed start or a crash with backoff.
                case "STARTING" -> out.add("failed".equals(v.runtime())
                        ? where + " failed to start" + (v.error() == null ? "" : ": " + v.error()) + " (retrying; starting for "
                                + ago(v.since(), now) + ")"
                        : "exited".equals(v.runtime())
                        ? where + " exited" + (v.exitCode() == null ? "" : " with code " + v.exitCode())
                                + " before passing its health check (restarting; starting for " + ago(v.since(), now) + ")"
                        : where + " has not passed its health check yet (starting for " + ago(v.since(), now) + ")");
                default -> { }
            }
            if (!v.serving() && !v.state().equals("EXITED")) {
                out.add(where + " takes no traffic until the blue-green switch to revision " + v.revision());
            }
        }
        return out;
    }

    private static String count(long n) {
        return n + (n == 1 ? " replica" : " replicas");
    }

    /** {@code 45s}, {@code 3m20s}, {@code 2h5m}. */
    static String ago(Instant since, Instant now) {
        long s = Math.max(0, Duration.between(since, now).toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
}
