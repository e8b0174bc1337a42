package dev.berth.platform.notifications.ui;

import dev.berth.platform.access.Caller;
import dev.berth.platform.notifications.NotificationService;
import dev.berth.platform.ui.Attention;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Tells each member of a team, on every page, that one of its webhook endpoints is paused: team
 * admins get a link to resume it, other members are told whom to ask.
 */
@Component
class PausedEndpointsNotice implements Attention {
    private final NotificationService notifications;

    PausedEndpointsNotice(NotificationService notifications) {
        this.notifications = notifications;
    }

    @Override
    public List<Item> itemsFor(Caller caller) {
        return notifications.pausedInTeamsOf(caller).stream().map(p -> new Item("paused-endpoint-" + p.team() + "-" + EndpointLabels.idPart(p.name()),
                "Team " + p.team() + "'s webhook '" + p.name() + "' is paused: " + p.reason()
                        + (p.mayResume() ? "" : "; a team admin can resume it"),
                p.mayResume() ? "notifications?team=" + p.team() : null)).toList();
    }
}
