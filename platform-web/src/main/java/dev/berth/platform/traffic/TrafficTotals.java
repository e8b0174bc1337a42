package dev.berth.platform.traffic;

import dev.berth.agent.protocol.EdgeStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the running totals edges report into increments: per host and app the last totals seen,
 * and what a report added to them. Totals that went down mean the edge's agent restarted and
 * counts again from 0, so all of the new totals are new. The first report of a host and app on
 * this platform instance only sets the baseline: what came before it is not known to be new
 * (another instance, or this one before a restart, may have counted it). Not thread-safe. Pure.
 */
final class TrafficTotals {
    private final Map<Key, EdgeStatus.AppRequests> last = new HashMap<>();

    private record Key(String hostId, String app) {
    }

    /** What one app got since the host's previous report. */
    record Increment(String app, long requests, long serverErrors, long bytes) {
        boolean isZero() {
            return requests == 0 && serverErrors == 0 && bytes == 0;
        }
    }

    /** The increments of a host's report, per app; apps seen for the first time add nothing. */
    List<Increment> report(String hostId, List<EdgeStatus.AppRequests> totals) {
        var out = new ArrayList<Increment>();
        for (var now : totals) {
            var before = last.put(new Key(hostId, now.app()), now);
            if (before == null) continue;
            boolean restarted = now.requests() < before.requests() || now.serverErrors() < before.serverErrors()
                    || now.bytes() < before.bytes();
            var added = restarted ? new Increment(now.app(), now.requests(), now.serverErrors(), now.bytes())
                    : new Increment(now.app(), now.requests() - before.requests(), now.serverErrors() - before.serverErrors(),
                    now.bytes() - before.bytes());
            if (!added.isZero()) out.add(added);
        }
        return out;
    }

    /** Forgets a host's totals (it is no edge any more, or was removed). */
    void forget(String hostId) {
        last.keySet().removeIf(k -> k.hostId().equals(hostId));
    }
}
