package dev.berth.platform.cluster;

import java.time.Instant;

/**
 * A platform instance stopped answering: its row in {@code platform_instances} went stale and this
 * instance took it out. Published once across instances, inside the transaction that removed the
 * row, so a listener's writes commit with it or the next check tries again.
 *
 * @param name      the stopped instance's name for people (host and port)
 * @param lastSeen  when it last checked in, by the database's clock
 * @param noticedBy the name of the instance that noticed and carries on
 */
public record InstanceStopped(String id, String name, Instant lastSeen, String noticedBy) {
}
