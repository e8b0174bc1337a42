package dev.berth.platform.notifications;

import java.time.Instant;
import java.util.List;

/**
 * A team's webhook endpoint as the API shows it: never its signing secret.
 *
 * @param pausedAt            when deliveries stopped after failing too long, or null
 * @param consecutiveFailures failed attempts since the last success
 */
public record NotificationEndpoint(long id, String team, String name, String url, NotificationFormat format,
                                   List<NotificationEvent> events, boolean enabled, Instant pausedAt, String pausedReason,
                                   int consecutiveFailures, String createdBy, Instant createdAt) {
    public NotificationEndpoint {
        events = List.copyOf(events);
    }

    /** Whether deliveries go out now. */
    public boolean active() {
        return enabled && pausedAt == null;
    }
}
