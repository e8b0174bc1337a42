package dev.berth.platform.notifications;

import dev.berth.platform.problem.Problem;

/** The shape of a webhook's body: Berth's own JSON, or what Slack's and Microsoft Teams' incoming webhooks read. */
public enum NotificationFormat {
    GENERIC, SLACK, TEAMS;

    /** @throws Problem.Invalid listing the formats */
    public static NotificationFormat parse(String text) {
        if (text == null) return GENERIC;
        for (var f : values()) if (f.name().equalsIgnoreCase(text.strip())) return f;
        throw new Problem.Invalid("format: unknown format '" + text + "'; use one of GENERIC, SLACK, TEAMS");
    }
}
