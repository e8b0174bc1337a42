package dev.berth.platform.notifications;

import java.time.Instant;
import java.util.UUID;

/**
 * One event sent, or to be sent, to one endpoint, as the API shows it.
 *
 * @param status        PENDING (next try at {@code nextAttemptAt}), DELIVERED, or FAILED (given up)
 * @param responseCode  the receiver's last HTTP status, or null when no answer came
 * @param responseBody  the start of the receiver's last answer, at most {@value WebhookSender#KEPT_RESPONSE} characters
 * @param error         why the last attempt failed, when it did
 */
public record Delivery(long id, UUID eventId, String event, Instant createdAt, Status status, int attempts,
                       Instant nextAttemptAt, Instant lastAttemptAt, Integer responseCode, String responseBody, String error) {
    public enum Status { PENDING, DELIVERED, FAILED }
}
