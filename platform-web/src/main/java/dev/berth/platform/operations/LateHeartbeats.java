package dev.berth.platform.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * Hosts whose heartbeats are late: the last one older than twice the interval agents send them at,
 * but not so old that the host counts as lost. A rising count is the warning before hosts are lost.
 */
public final class LateHeartbeats {
    private LateHeartbeats() {
    }

    /**
     * @param lastHeartbeats each host's last heartbeat; null for a host that never sent one (not late: not yet started)
     * @param interval how often agents send heartbeats
     * @param lostAfter how long without one until a host is lost ({@code berth.hosts.heartbeat-timeout})
     */
    public static int count(Collection<Instant> lastHeartbeats, Duration interval, Duration lostAfter, Instant now) {
        var late = interval.multipliedBy(2);
        return (int) lastHeartbeats.stream().filter(Objects::nonNull).map(at -> Duration.between(at, now))
                .filter(age -> age.compareTo(late) > 0 && age.compareTo(lostAfter) <= 0).count();
    }
}
