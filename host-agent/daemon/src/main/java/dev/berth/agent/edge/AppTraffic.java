package dev.berth.agent.edge;

import java.util.List;
import java.util.Map;

/** What an edge saw of each app's requests: recent access entries and running counts, for logs and metrics. */
public interface AppTraffic {
    /** Requests, 5xx answers and response bytes per app ({@code team/app}) since the agent started. */
    Map<String, Counts> counts();

    /** The newest access entries of {@code app}, oldest first, at most {@link AccessLog#PER_APP} of them. */
    List<AccessEntry> recent(String app);

    /** Running totals: request rate and error rate are their differences over time. */
    record Counts(long requests, long serverErrors, long bytes) {
    }
}
