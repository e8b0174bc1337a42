/**
 * Teams' outgoing webhooks: endpoints (generic JSON, Slack, Microsoft Teams), deliveries owed in
 * the transaction of the change they tell of ({@link dev.berth.platform.notifications.NotificationOutbox}),
 * sent once across platform instances by {@link dev.berth.platform.notifications.NotificationDeliverer},
 * signed like GitHub's webhooks and only to addresses the platform's address policy allows.
 */
package dev.berth.platform.notifications;
