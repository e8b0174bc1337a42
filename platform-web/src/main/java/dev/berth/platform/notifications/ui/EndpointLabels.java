package dev.berth.platform.notifications.ui;

import dev.berth.platform.notifications.Delivery;
import dev.berth.platform.notifications.NotificationEvent;
import dev.berth.platform.notifications.NotificationFormat;
import java.util.List;
import dev.berth.platform.ui.Timestamps;

/** How endpoints and deliveries read in the dashboard; pure. */
final class EndpointLabels {
    /** How much of a receiver's answer a grid cell shows. */
    static final int EXCERPT = 120;

    private EndpointLabels() {
    }

    /** An endpoint's name as part of an element id: spaces and dots become '_'. */
    static String idPart(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** "all events", or the wire names chosen. */
    static String events(List<NotificationEvent> events) {
        if (events.size() == NotificationEvent.values().length) return "all events";
        return String.join(", ", events.stream().map(NotificationEvent::value).toList());
    }

    static String format(NotificationFormat format) {
        return switch (format) {
            case GENERIC -> "Generic JSON";
            case SLACK -> "Slack";
            case TEAMS -> "Microsoft Teams";
        };
    }

    /** "200 delivered", "503, retried at ...", "gave up: ..." or "none yet". */
    static String outcome(Delivery d) {
        if (d == null) return "none yet";
        String code = d.responseCode() == null ? "" : d.responseCode() + " ";
        return switch (d.status()) {
            case DELIVERED -> code + "delivered " + Timestamps.format(d.lastAttemptAt());
            case PENDING -> d.attempts() == 0 ? "sending" : code + "failed, retried " + Timestamps.format(d.nextAttemptAt());
            case FAILED -> code + "gave up";
        };
    }

    /** The receiver's answer, or why there was none, cut to {@value #EXCERPT} characters on one line. */
    static String excerpt(Delivery d) {
        String text = d.error() != null && d.responseBody() == null ? d.error()
                : d.responseBody() == null ? "" : d.responseBody();
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT - 1) + "…";
    }
}
