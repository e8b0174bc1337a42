package dev.berth.platform.notifications;

import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where other modules tell of events a team's webhooks may want. {@link #tell} writes one
 * delivery row per endpoint that chose the event, in the caller's transaction: the webhook is owed
 * exactly when the change it tells of committed. {@link NotificationDeliverer} sends them.
 */
@Component
public class NotificationOutbox {
    private final DeliveryStore deliveries;
    private final Clock clock;

    public NotificationOutbox(JdbcClient jdbc, Clock clock) {
        this.deliveries = new DeliveryStore(jdbc);
        this.clock = clock;
    }

    /** A team's notice. */
    public record Told(long teamId, Notice notice) {
    }

    /** Owes each notice to its team's endpoints, in one statement; call inside the change's transaction. */
    public void tell(List<Told> notices) {
        if (notices.isEmpty()) return;
        deliveries.enqueue(notices.stream().map(t -> new DeliveryStore.Owed(t.teamId(), t.notice())).toList(), clock.instant());
    }
}
